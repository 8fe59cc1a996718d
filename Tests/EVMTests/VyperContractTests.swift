import EVM
import Foundation
import Testing
import WeftCore
import WeftCrypto
import WeftTestSupport

/// The sample Vyper contracts of Chaincode/evm, compiled for Cancun, deployed and exercised through
/// `EVMExecutor` on an in-memory world.
@Suite struct VyperContractTests {
    static let alice = Address(0xa11ce)
    static let bob = Address(0xb0b)

    /// A world, and the transactions run on it.
    final class Chain {
        let state = InMemoryWorldState()
        let executor = EVMExecutor()
        let context = ExecutionContext(origin: VyperContractTests.alice, number: 7, timestamp: 1_700_000_000)

        func deploy(_ contract: String, _ arguments: [ABIValue] = [], types: [ABIType] = [], from sender: Address) throws -> Address {
            let initCode = try contractCode(contract) + ABI.encode(arguments, as: types)
            let result = try run(EVMTransaction(sender: sender, target: .create, input: initCode, gasLimit: 5_000_000))
            guard result.status == .success, let address = result.createdAddress else {
                throw EVMError.malformedData("deploying \(contract): \(result.status)")
            }
            return address
        }

        @discardableResult
        func call(_ contract: Address, _ signature: String, _ arguments: [ABIValue], from sender: Address) throws -> EVMTransactionResult {
            let input = try ABIFunction(signature: signature).encodeCall(arguments)
            return try run(EVMTransaction(sender: sender, target: .call(contract), input: input, gasLimit: 1_000_000))
        }

        func run(_ transaction: EVMTransaction) throws -> EVMTransactionResult {
            let result = try executor.execute(transaction, on: state, context: context)
            state.apply(result.changes)
            return result
        }
    }

    static func contractCode(_ name: String) throws -> [UInt8] {
        let url = Vectors.projectRoot.appendingPathComponent("Chaincode/evm/\(name).bin")
        let text = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return try #require(Hex.decode(text))
    }

    func balance(_ chain: Chain, _ token: Address, _ owner: Address) throws -> ABIValue? {
        let result = try chain.call(token, "balanceOf(address)", [.address(owner)], from: owner)
        return try ABI.decode(result.output, as: [.uint(bits: 256)]).first
    }

    @Test func tokenTransfersAndRevertsWithReason() throws {
        let chain = Chain()
        let token = try chain.deploy("Token", [.string("Weft"), .string("WFT"), .uint(18), .uint(1_000_000)],
                                     types: [.string, .string, .uint(bits: 8), .uint(bits: 256)], from: Self.alice)
        #expect(token == Address.created(by: Self.alice, nonce: 0))
        #expect(try balance(chain, token, Self.alice) == .uint(1_000_000))
        let name = try chain.call(token, "name()", [], from: Self.bob)
        #expect(try ABI.decode(name.output, as: [.string]) == [.string("Weft")])

        let transfer = try chain.call(token, "transfer(address,uint256)", [.address(Self.bob), .uint(250)], from: Self.alice)
        #expect(transfer.status == .success)
        #expect(try ABI.decode(transfer.output, as: [.bool]) == [.bool(true)])
        let transferTopic = UInt256(bigEndian: Keccak256.hash(Array("Transfer(address,address,uint256)".utf8)))
        #expect(transfer.logs == [Log(address: token, topics: [try #require(transferTopic), Self.alice.word, Self.bob.word],
                                      data: UInt256(250).bigEndianBytes)])
        #expect(try balance(chain, token, Self.bob) == .uint(250))
        #expect(try balance(chain, token, Self.alice) == .uint(999_750))

        let overdraft = try chain.call(token, "transfer(address,uint256)", [.address(Self.alice), .uint(251)], from: Self.bob)
        #expect(overdraft.status == .revert)
        #expect(ABI.revertReason(overdraft.output) == "insufficient balance")
        #expect(overdraft.logs.isEmpty)
        #expect(try balance(chain, token, Self.bob) == .uint(250))
    }

    @Test func manyTransfersInOneCall() throws {
        let chain = Chain()
        let token = try chain.deploy("Token", [.string("Weft"), .string("WFT"), .uint(18), .uint(1_000_000)],
                                     types: [.string, .string, .uint(bits: 8), .uint(bits: 256)], from: Self.alice)
        let batch = try chain.call(token, "batchTransfer(address,uint256,uint256)", [.address(Self.bob), .uint(3), .uint(100)],
                                   from: Self.alice)
        #expect(batch.status == .success && batch.logs.count == 100)
        #expect(try balance(chain, token, Self.bob) == .uint(300))
    }

    @Test func registryOwnsNames() throws {
        let chain = Chain()
        let registry = try chain.deploy("Registry", from: Self.bob)
        let name = ABIValue.fixedBytes(Array("weft.example".utf8) + [UInt8](repeating: 0, count: 20))
        let value = ABIValue.fixedBytes([UInt8](repeating: 0xab, count: 32))
        let register = try chain.call(registry, "register(bytes32,bytes32,string)", [name, value, .string("first")], from: Self.alice)
        #expect(register.status == .success && register.logs.count == 1)
        let again = try chain.call(registry, "register(bytes32,bytes32,string)", [name, value, .string("second")], from: Self.bob)
        #expect(again.status == .revert && ABI.revertReason(again.output) == "name taken")
        let update = try chain.call(registry, "update(bytes32,bytes32,string)", [name, value, .string("mine")], from: Self.bob)
        #expect(ABI.revertReason(update.output) == "not the owner")

        let lookup = try chain.call(registry, "lookup(bytes32)", [name], from: Self.bob)
        #expect(try ABI.decode(lookup.output, as: [.address, .fixedBytes(32), .string])
            == [.address(Self.alice), value, .string("first")])
        #expect(try chain.call(registry, "transferName(bytes32,address)", [name, .address(Self.bob)], from: Self.alice).status == .success)
        #expect(try chain.call(registry, "release(bytes32)", [name], from: Self.bob).status == .success)
        let owner = try chain.call(registry, "ownerOf(bytes32)", [name], from: Self.bob)
        #expect(try ABI.decode(owner.output, as: [.address]) == [.address(Address(0))])
        let count = try chain.call(registry, "count()", [], from: Self.bob)
        #expect(try ABI.decode(count.output, as: [.uint(bits: 256)]) == [.uint(0)])
    }

    @Test func valueIsRefusedWithoutFunds() throws {
        let chain = Chain()
        let registry = try chain.deploy("Registry", from: Self.bob)
        let input = try ABIFunction(signature: "count()").encodeCall([])
        let paid = try chain.run(EVMTransaction(sender: Self.alice, target: .call(registry), value: 1, input: input, gasLimit: 100_000))
        #expect(paid.status == .insufficientBalance)
    }
}
