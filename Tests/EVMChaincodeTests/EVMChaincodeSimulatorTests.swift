import EVM
import Execution
import Testing
import WeftCore
import WeftCrypto

/// The `evm` chaincode through the `Simulator` on an in-memory world state.
@Suite struct EVMChaincodeSimulatorTests {
    static let transferTopic = "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"

    @Test func tokenIsDeployedAndTransfersByTransactions() throws {
        var channel = EVMChannel()
        let alice = try EVMChannel.address(EVMChannel.alice)
        let bob = try EVMChannel.address(EVMChannel.bob)
        let token = try channel.deployToken()
        #expect(token == Address.created(by: alice, nonce: 0))
        #expect(try channel.query(token, "balanceOf(address)", [alice.description], returns: "(uint256)") == ["1000000"])
        #expect(try channel.query(token, "name()", [], returns: "(string)", as: EVMChannel.bob) == ["Weft"])

        let transfer = try channel.send(token, "transfer(address,uint256)", [bob.description, "250"])
        #expect(transfer.succeeded)
        #expect(try EVMChaincode.decodeResult(transfer.payload.response.payload, returnTypes: "(bool)") == ["true"])
        #expect(try channel.query(token, "balanceOf(address)", [bob.description], returns: "(uint256)") == ["250"])
        #expect(try channel.query(token, "balanceOf(address)", [alice.description], returns: "(uint256)") == ["999750"])

        let event = try #require(transfer.payload.event)
        #expect(event.chaincode == "evm" && event.name == "receipt")
        #expect(try EVMReceipt(event: event).gasUsed ?? 0 > 21_000, "intrinsic gas and the transfer's storage writes")
        let logs = try EVMReceipt(event: event).logs
        #expect(logs == [Log(address: token,
                             topics: [UInt256(hex: Self.transferTopic)!, alice.word, bob.word],
                             data: UInt256(250).bigEndianBytes)])
    }

    @Test func aTransferOverTheBalanceRevertsWithItsReason() throws {
        var channel = EVMChannel()
        let token = try channel.deployToken(supply: "100")
        let bob = try EVMChannel.address(EVMChannel.bob)
        let over = try channel.send(token, "transfer(address,uint256)", [bob.description, "101"])
        #expect(!over.succeeded)
        #expect(over.payload.response.status == 500)
        #expect(over.payload.response.message == "reverted: insufficient balance")
        #expect(over.payload.event == nil)
        #expect(over.payload.readWriteSet.writes.isEmpty, "a revert writes nothing")
        // Bob holds nothing: his transfer fails for the same reason (CALLER is Bob, not Alice).
        let fromBob = try channel.send(token, "transfer(address,uint256)", [bob.description, "1"], as: EVMChannel.bob)
        #expect(fromBob.payload.response.message == "reverted: insufficient balance")
    }

    @Test func callerIsTheSubmittersAddress() throws {
        var channel = EVMChannel()
        let deploy = try channel.submit("deploy", EVMChaincode.deployArguments(initCode: try Contracts.code("Registry")))
        let registry = try EVMChaincode.deployedAddress(deploy.payload.response.payload)
        let name = "0x" + String(repeating: "77", count: 32)
        let other = "0x" + String(repeating: "88", count: 32)
        let value = "0x" + String(repeating: "00", count: 32)
        #expect(try channel.send(registry, "register(bytes32,bytes32,string)", [name, value, "alice's"]).succeeded)
        #expect(try channel.send(registry, "register(bytes32,bytes32,string)", [other, value, "bob's"], as: EVMChannel.bob).succeeded)
        let alice = try EVMChannel.address(EVMChannel.alice)
        let bob = try EVMChannel.address(EVMChannel.bob)
        #expect(alice != bob)
        #expect(try channel.query(registry, "ownerOf(bytes32)", [name], returns: "(address)") == [alice.description])
        #expect(try channel.query(registry, "ownerOf(bytes32)", [other], returns: "(address)") == [bob.description])
        let stolen = try channel.send(registry, "update(bytes32,bytes32,string)", [name, value, "mine"], as: EVMChannel.bob)
        #expect(stolen.payload.response.message == "reverted: not the owner")
    }

    /// The world-state layout of docs/evm.md: account records and 64-hex slot keys in `evm:<address>`.
    @Test func contractStateLivesInItsSubNamespace() throws {
        var channel = EVMChannel()
        let alice = try EVMChannel.address(EVMChannel.alice)
        // Runtime: with call data, slot 5 = 0; without: mem[0] = 42, LOG0(mem[0..32]), LOG2(topics 1, 2, no
        // data), slot 5 = 1.
        let runtime = Hex.decode("3615600a57" + "5f600555" + "00" + "5b"
                                 + "602a5f52" + "60205fa0" + "600260015f5fa2" + "6001600555" + "00")!
        let deploy = try channel.submit("deploy", ["0x" + Hex.encode(Contracts.deploying(runtime))])
        let contract = Address.created(by: alice, nonce: 0)
        #expect(deploy.payload.response.text == contract.description)
        let contractNamespace = "evm:" + Hex.encode(contract.bytes)
        let aliceNamespace = "evm:" + Hex.encode(alice.bytes)
        let writes = deploy.payload.readWriteSet.writes
        #expect(writes.map { "\($0.namespace)/\($0.key)" }.sorted() == ["\(aliceNamespace)/account", "\(contractNamespace)/account"].sorted())
        let record = try #require(writes.first { $0.namespace == contractNamespace }?.value)
        let account = try EVMStateLayout.decodeAccount(record)
        #expect(account.nonce == 1 && account.code == runtime && account.codeHash == UInt256(bigEndian: Keccak256.hash(runtime)))
        var expected = ByteWriter()
        expected.write(UInt64(1))
        expected.write(raw: Keccak256.hash(runtime))
        expected.write(lengthPrefixed: runtime)
        #expect(record == expected.bytes)
        let deployer = try #require(writes.first { $0.namespace == aliceNamespace }?.value)
        #expect(try EVMStateLayout.decodeAccount(deployer).nonce == 1)
        let receipt = try EVMReceipt(event: try #require(deploy.payload.event))
        #expect(receipt.logs.isEmpty && receipt.gasUsed ?? 0 > 53_000, "a deployment without logs still reports its gas (53,000 intrinsic)")

        let set = try channel.submit("call", [contract.description, ""])
        #expect(set.succeeded)
        let slotKey = String(repeating: "0", count: 63) + "5"
        #expect(set.payload.readWriteSet.writes == [KVWrite(namespace: contractNamespace, key: slotKey, value: UInt256.one.bigEndianBytes)])
        #expect(set.payload.readWriteSet.reads.map { "\($0.namespace)/\($0.key)" }
            == ["\(contractNamespace)/\(slotKey)", "\(contractNamespace)/account"])
        #expect(set.payload.readWriteSet.reads.allSatisfy { $0.key == slotKey ? $0.version == nil : $0.version != nil })
        let logs = try EVMReceipt(event: try #require(set.payload.event)).logs
        #expect(logs == [Log(address: contract, topics: [], data: UInt256(42).bigEndianBytes),
                         Log(address: contract, topics: [UInt256(1), UInt256(2)], data: [])])
        #expect(try channel.state.value(namespace: contractNamespace, key: slotKey)?.value == UInt256.one.bigEndianBytes)

        // Writing the slot back to zero deletes its key.
        let clear = try channel.submit("call", [contract.description, "0x01"])
        #expect(clear.payload.readWriteSet.writes == [KVWrite(namespace: contractNamespace, key: slotKey, value: nil)])
        #expect(try channel.state.value(namespace: contractNamespace, key: slotKey) == nil)
    }

    @Test func contractsSeeTheLedgersEnvironment() throws {
        var channel = EVMChannel()
        // Runtime: returns NUMBER, TIMESTAMP, CHAINID, CALLER, ORIGIN, BLOCKHASH(NUMBER − 1), SELFBALANCE.
        let runtime = Hex.decode("435f52" + "42602052" + "46604052" + "33606052" + "32608052" + "600143034060a052"
                                 + "4760c052" + "60e05ff3")!
        let deploy = try channel.submit("deploy", ["0x" + Hex.encode(Contracts.deploying(runtime))])
        let contract = try EVMChaincode.deployedAddress(deploy.payload.response.payload)
        let call = try channel.evaluate("call", [contract.description, ""], as: EVMChannel.bob)
        let words = try EVMChaincode.decodeResult(call.payload.response.payload,
                                                  returnTypes: "(uint256,uint256,uint256,address,address,uint256,uint256)")
        let bob = try EVMChannel.address(EVMChannel.bob)
        #expect(words == ["\(channel.state.height)", "1700000123", ExecutionContext.chainID(forChannel: "mychannel").decimalString,
                          bob.description, bob.description, "0", "0"])
        #expect(call.payload.readWriteSet.writes.isEmpty)
    }

    @Test func readWriteSetsAreDeterministic() throws {
        var channel = EVMChannel()
        let token = try channel.deployToken()
        let bob = try EVMChannel.address(EVMChannel.bob)
        let arguments = try EVMChaincode.callArguments(contract: token.description, signature: "transfer(address,uint256)",
                                                       arguments: [bob.description, "5"])
        let first = try channel.evaluate("call", arguments)
        let second = try channel.evaluate("call", arguments)
        let elsewhere = try EVMChannel.simulator(gasLimit: EVMChaincode.defaultGasLimit)
            .simulate(EVMChannel.proposal("call", arguments, creator: EVMChannel.alice, txID: "eval"), proposalHash: [1], on: channel.state)
        #expect(first.payload.canonicalBytes == second.payload.canonicalBytes)
        #expect(first.payload.canonicalBytes == elsewhere.payload.canonicalBytes)
        #expect(first.payload.readWriteSet.writes.count == 2, "the two balances")
        #expect(first.payload.readWriteSet.reads.count == 3, "the token's account record and the two balances")
    }

    /// Gas is Ethereum's: a transfer to a fresh account costs exactly 50,946 — 21,368 intrinsic (21,000 +
    /// 368 for the call data) and 29,578 of execution (two cold slots, one set from zero: 2,100 + 2,900 +
    /// 2,100 + 20,000; LOG3 with 32 bytes: 1,756; the rest in plain opcodes) — the same as on the
    /// in-memory host, and the channel's gas limit is the whole budget.
    @Test func theChannelGasLimitIsExact() throws {
        var channel = EVMChannel()
        let token = try channel.deployToken()
        let arguments = try EVMChaincode.callArguments(contract: token.description, signature: "transfer(address,uint256)",
                                                       arguments: [Address(0xb0b0b0).description, "5"])
        let needed = 50_946
        let world = InMemoryWorldState()
        let executor = EVMExecutor()
        let context = ExecutionContext(origin: try EVMChannel.address(EVMChannel.alice))
        let created = try executor.execute(EVMTransaction(sender: context.origin, target: .create,
                                                          input: Hex.decode(EVMChaincode.deployArguments(
                                                              initCode: try Contracts.code("Token"), constructorTypes: "(string,string,uint8,uint256)",
                                                              arguments: ["Weft", "WFT", "18", "1000000"])[0])!,
                                                          gasLimit: needed * 100), on: world, context: context)
        world.apply(created.changes)
        let direct = try executor.execute(EVMTransaction(sender: context.origin, target: .call(token),
                                                         input: Hex.decode(arguments[1])!, gasLimit: needed * 100),
                                          on: world, context: context)
        #expect(created.createdAddress == token && direct.gasUsed == needed && direct.gasRefunded == 0,
                "the in-memory host agrees with the ledger's")
        #expect(try channel.with(gasLimit: needed).evaluate("call", arguments).succeeded)
        let short = try channel.with(gasLimit: needed - 1).evaluate("call", arguments)
        #expect(short.payload.response.message == "execution failed: outOfGas (gas limit \(needed - 1))")
        let intrinsicOnly = try channel.with(gasLimit: 21_000).evaluate("call", arguments)
        #expect(intrinsicOnly.payload.response.message == "execution failed: outOfGas (gas limit 21000)")
    }

    @Test func failuresBecomeErrorResponsesWithTheirStatus() throws {
        var channel = EVMChannel()
        func deployed(_ runtimeHex: String) throws -> Address {
            let deploy = try channel.submit("deploy", ["0x" + Hex.encode(Contracts.deploying(Hex.decode(runtimeHex)!))])
            return try EVMChaincode.deployedAddress(deploy.payload.response.payload)
        }
        let invalid = try deployed("fe")
        let loop = try deployed("5b5f56")
        let customRevert = try deployed("60aa5f5260205ffd")
        let bareRevert = try deployed("5f5ffd")
        let underflow = try deployed("01")
        func message(_ contract: Address) throws -> String {
            try channel.evaluate("call", [contract.description, "0x"]).payload.response.message
        }
        #expect(try message(invalid) == "execution failed: invalidOpcode (gas limit 30000000)")
        #expect(try message(loop) == "execution failed: outOfGas (gas limit 30000000)")
        #expect(try message(customRevert) == "reverted with data 0x" + String(repeating: "00", count: 31) + "aa")
        #expect(try message(bareRevert) == "reverted")
        #expect(try message(underflow) == "execution failed: stackUnderflow (gas limit 30000000)")

        let small = channel.with(gasLimit: 100_000)
        let tokenDeploy = try small.evaluate("deploy", EVMChaincode.deployArguments(
            initCode: try Contracts.code("Token"), constructorTypes: "(string,string,uint8,uint256)", arguments: ["W", "W", "1", "1"]))
        #expect(tokenDeploy.payload.response.message == "execution failed: outOfGas (gas limit 100000)")
        let revertingConstructor = try channel.evaluate("deploy", ["0x5f5ffd"])
        #expect(revertingConstructor.payload.response.message == "reverted")
    }

    @Test func badRequestsAreRefusedWithPreciseErrors() throws {
        var channel = EVMChannel()
        let token = try channel.deployToken()
        func response(_ function: String, _ arguments: [String], as creator: SerializedIdentity = EVMChannel.alice) throws -> ChaincodeResponse {
            try channel.evaluate(function, arguments, as: creator).payload.response
        }
        let unknown = try response("transfer", [])
        #expect(unknown.status == 400 && unknown.message.contains("deploy(initCodeHex) and call(addressHex, calldataHex)"))
        #expect(try response("deploy", []).message == "deploy takes 1 argument (initCodeHex), got 0")
        #expect(try response("deploy", [""]).message == "deploy: initCodeHex is empty")
        #expect(try response("deploy", ["0xzz"]).message == "deploy: argument 1 (initCodeHex) is not hex: \"0xzz\"")
        #expect(try response("call", [token.description]).message == "call takes 2 arguments (addressHex, calldataHex), got 1")
        #expect(try response("call", ["0x1234", ""]).message == "call: argument 1 (addressHex) must be 40 hex digits, got \"0x1234\"")
        let nowhere = try response("call", [Address(0xdead).description, ""])
        #expect(nowhere.status == 404 && nowhere.message == "call: no contract at 0x000000000000000000000000000000000000dead")
        // A contract reading slot 0 (PUSH0 SLOAD STOP), with that slot, then its account record, corrupted.
        let reader = try EVMChaincode.deployedAddress(
            channel.submit("deploy", ["0x" + Hex.encode(Contracts.deploying([0x5f, 0x54, 0x00]))]).payload.response.payload)
        let namespace = EVMStateLayout.namespace(of: reader)
        var corrupt = channel
        corrupt.state.apply([KVWrite(namespace: namespace, key: EVMStateLayout.slotKey(.zero), value: [1, 2, 3])],
                            version: Version(blockNumber: corrupt.state.height, txNumber: 0))
        #expect(try corrupt.evaluate("call", [reader.description, ""]).payload.response.message
            == "corrupt storage slot \(namespace)/\(EVMStateLayout.slotKey(.zero)): 3 bytes instead of 32")
        corrupt.state.apply([KVWrite(namespace: namespace, key: EVMStateLayout.accountKey, value: [1, 2, 3])],
                            version: Version(blockNumber: corrupt.state.height, txNumber: 0))
        #expect(try corrupt.evaluate("call", [reader.description, ""]).payload.response.message
            .hasPrefix("corrupt account record \(namespace)/account: "))
        let stranger = SerializedIdentity(mspID: "Org1MSP", certificate: [0x30, 0x01])
        let unreadable = try response("call", [token.description, ""], as: stranger)
        #expect(unreadable.status == 400 && unreadable.message.hasPrefix("the submitter's certificate is unreadable"))
    }
}
