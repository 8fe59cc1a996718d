import EVM
import Testing
import WeftCore
import WeftCrypto

@Suite struct LedgerContextTests {
    @Test func chainIDIsDerivedFromTheChannelName() {
        let digest = SHA256.hash(Array("weft-evm-chain-id:mychannel".utf8))
        let expected = digest[..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } >> 11
        #expect(ExecutionContext.chainID(forChannel: "mychannel") == UInt256(expected))
        #expect(ExecutionContext.chainID(forChannel: "mychannel") != ExecutionContext.chainID(forChannel: "other"))
        #expect(ExecutionContext.chainID(forChannel: "mychannel").bitWidth <= 53)
    }

    @Test func opcodesSeeTheLedgerContext() throws {
        let submitter = Address(0xabc)
        let context = ExecutionContext.ledger(submitter: submitter, channel: "ch", height: 42, timestamp: 1_700_000_000, gasLimit: 5_000_000)
        let state = InMemoryWorldState()
        // ORIGIN, NUMBER, TIMESTAMP, CHAINID, GASLIMIT, BALANCE(origin) to memory words 0…5.
        let code: Bytecode = .push0 + [0x32] + .push0 + .mstore + [0x43] + .push(32) + .mstore + [0x42] + .push(64) + .mstore
            + [0x46] + .push(96) + .mstore + [0x45] + .push(128) + .mstore + [0x32, 0x31] + .push(160) + .mstore + .ret(0, 192)
        state.setAccount(Account(code: code.bytes), at: Address(0xc0de))
        let result = try EVMExecutor().execute(
            EVMTransaction(sender: submitter, target: .call(Address(0xc0de)), input: [], gasLimit: 100_000), on: state, context: context)
        let words = stride(from: 0, to: 192, by: 32).map { UInt256(bigEndian: result.output[$0..<($0 + 32)]) }
        #expect(words == [submitter.word, 42, 1_700_000_000, ExecutionContext.chainID(forChannel: "ch"), 5_000_000, .zero])
    }

    @Test func callerAddressFromAPublicKeyPoint() {
        // The secp256k1 generator's address is the well-known address of private key 1; the same
        // derivation applies to a P-256 point.
        let generator = Hex.decode("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")!
        #expect(Address(publicKeyPoint: generator)?.description == "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf")
        #expect(Address(publicKeyPoint: [0x04] + generator)?.description == "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf")
        #expect(Address(publicKeyPoint: [1, 2, 3]) == nil)
    }
}

@Suite struct ExecutorNonceTests {
    @Test func callsDoNotWriteTheSendersAccountButCreatesDo() throws {
        let state = InMemoryWorldState()
        let sender = Address(0x5e4d), contract = Address(0xc0de)
        state.setAccount(Account(code: Bytecode.sstore(0, 1).bytes), at: contract)
        let context = ExecutionContext(origin: sender)
        let call = try EVMExecutor().execute(EVMTransaction(sender: sender, target: .call(contract), input: [], gasLimit: 100_000),
                                         on: state, context: context)
        #expect(call.status == .success)
        #expect(call.changes.accounts.isEmpty)
        #expect(call.changes.storage == [.init(address: contract, key: .zero, value: .one)])
        let create = try EVMExecutor().execute(EVMTransaction(sender: sender, target: .create, input: [], gasLimit: 100_000),
                                           on: state, context: context)
        #expect(create.createdAddress == Address.created(by: sender, nonce: 0))
        #expect(create.changes.accounts.map(\.address).sorted() == [sender, Address.created(by: sender, nonce: 0)].sorted())
    }
}
