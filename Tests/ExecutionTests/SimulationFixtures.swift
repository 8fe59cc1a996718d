import Execution
import WeftCore

/// A chaincode whose body is a closure, for read-write set tests.
struct ClosureChaincode: Chaincode {
    let body: @Sendable (ChaincodeStub) throws -> [UInt8]
    func invoke(_ stub: ChaincodeStub) throws -> [UInt8] { try body(stub) }
}

enum Fixtures {
    static let creator = SerializedIdentity(mspID: "Org1MSP", certificate: [0x30, 0x01])

    static func proposal(_ chaincode: String, _ function: String, _ arguments: [String] = []) -> Proposal {
        Proposal(
            header: ProposalHeader(channelID: "mychannel", txID: "tx-\(function)", creator: creator,
                                   nonce: [UInt8](repeating: 1, count: 24), timestamp: 1_700_000_000_000),
            chaincode: chaincode, function: function, arguments: arguments.map { Array($0.utf8) })
    }

    /// Simulates one call of `chaincode` (registered as "cc") against `state`.
    static func run(
        _ state: InMemoryState, function: String = "f", arguments: [String] = [],
        _ body: @escaping @Sendable (ChaincodeStub) throws -> [UInt8]
    ) throws -> Simulation {
        let registry = ChaincodeRegistry([InstalledChaincode(name: "cc", chaincode: ClosureChaincode(body: body), endorsementPolicy: "ANY peer")])
        return try Simulator(registry: registry).simulate(proposal("cc", function, arguments), proposalHash: [1], on: state)
    }

    /// Simulates a sample chaincode call and returns the response, applying its writes to `state` when
    /// `commit` is true and it succeeded.
    @discardableResult
    static func call(
        _ chaincode: any Chaincode, named name: String, _ function: String, _ arguments: [String],
        on state: inout InMemoryState, commit: Bool = true
    ) throws -> ChaincodeResponse {
        let registry = ChaincodeRegistry([InstalledChaincode(name: name, chaincode: chaincode, endorsementPolicy: "ANY peer")])
        let simulation = try Simulator(registry: registry).simulate(proposal(name, function, arguments), proposalHash: [], on: state)
        if commit && simulation.succeeded {
            state.apply(simulation.payload.readWriteSet.writes, version: Version(blockNumber: state.height, txNumber: 0),
                        txID: "tx\(state.height)")
        }
        return simulation.payload.response
    }
}

extension ChaincodeResponse {
    var text: String { String(decoding: payload, as: UTF8.self) }
}
