import Execution
import Testing
import WeftCore

/// `ChaincodeStub`'s sub-namespace API: `<chaincode>:<sub>`, recorded like the chaincode's own keys.
@Suite struct SubNamespaceTests {
    struct Body: Chaincode {
        let run: @Sendable (ChaincodeStub) throws -> [UInt8]
        func invoke(_ stub: ChaincodeStub) throws -> [UInt8] { try run(stub) }
    }

    static func simulate(on state: InMemoryState, _ run: @escaping @Sendable (ChaincodeStub) throws -> [UInt8]) throws -> Simulation {
        let registry = ChaincodeRegistry([InstalledChaincode(name: "cc", chaincode: Body(run: run), endorsementPolicy: "ANY peer")])
        let proposal = Proposal(
            header: ProposalHeader(channelID: "mychannel", txID: "t", creator: SerializedIdentity(mspID: "Org1MSP", certificate: []),
                                   nonce: [], timestamp: 0),
            chaincode: "cc", function: "f", arguments: [])
        return try Simulator(registry: registry).simulate(proposal, proposalHash: [], on: state)
    }

    @Test func readsAndWritesAreRecordedInTheSubNamespace() throws {
        var state = InMemoryState()
        state.apply([KVWrite(namespace: "cc:box", key: "a", value: [1]), KVWrite(namespace: "cc", key: "a", value: [9])],
                    version: Version(blockNumber: 0, txNumber: 0))
        let simulation = try Self.simulate(on: state) { stub in
            #expect(try stub.subNamespace("box") == "cc:box")
            #expect(try stub.getState("a", in: "box") == [1])
            #expect(try stub.getState("a") == [9], "the chaincode's own namespace is separate")
            #expect(try stub.getState("missing", in: "box") == nil)
            try stub.putState("b", [2], in: "box")
            #expect(try stub.getState("b", in: "box") == [2], "reads its own write")
            try stub.deleteState("a", in: "box")
            #expect(try stub.getState("a", in: "box") == nil)
            return []
        }
        #expect(simulation.succeeded)
        let set = simulation.payload.readWriteSet
        #expect(set.reads == [KVRead(namespace: "cc", key: "a", version: Version(blockNumber: 0, txNumber: 0)),
                              KVRead(namespace: "cc:box", key: "a", version: Version(blockNumber: 0, txNumber: 0)),
                              KVRead(namespace: "cc:box", key: "missing", version: nil)])
        #expect(set.writes == [KVWrite(namespace: "cc:box", key: "a", value: nil), KVWrite(namespace: "cc:box", key: "b", value: [2])])
    }

    @Test func badSubNamespaceNamesAreRefused() throws {
        let simulation = try Self.simulate(on: InMemoryState()) { stub in
            for bad in ["", "a:b", "a b", "ä", String(repeating: "x", count: 129), "\u{0}"] {
                #expect(throws: ChaincodeError.self) { try stub.putState("k", [1], in: bad) }
                #expect(throws: ChaincodeError.self) { try stub.getState("k", in: bad) }
            }
            let longest = try stub.subNamespace(String(repeating: "x", count: 128))
            #expect(longest.count == 131)
            #expect(throws: ChaincodeError.self) { try stub.putState("", [1], in: "ok") }
            return []
        }
        #expect(simulation.succeeded && simulation.payload.readWriteSet.writes.isEmpty)
    }
}
