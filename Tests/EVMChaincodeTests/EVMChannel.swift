import EVM
import Execution
import Foundation
import PeerTestSupport
import Testing
import WeftCore
import WeftTestSupport

/// A channel with only the `evm` chaincode, simulated on an `InMemoryState`: each submitted
/// transaction is simulated, and its writes are applied as the next block when it succeeded.
struct EVMChannel {
    static let name = "mychannel"
    /// Org1's and Org2's client identities (real certificates: the chaincode derives CALLER from them).
    static let network: TestNetwork = {
        do { return try TestNetwork() } catch { fatalError("test network: \(error)") }
    }()
    static var alice: SerializedIdentity { network.clients["Org1"]!.serialized }
    static var bob: SerializedIdentity { network.clients["Org2"]!.serialized }
    static let timestamp: Int64 = 1_700_000_123_456

    var state = InMemoryState()
    var simulator: Simulator
    private var sequence = 0

    init(gasLimit: Int = EVMChaincode.defaultGasLimit) {
        simulator = Self.simulator(gasLimit: gasLimit)
    }

    static func simulator(gasLimit: Int) -> Simulator {
        Simulator(registry: ChaincodeRegistry([
            InstalledChaincode(name: EVMChaincode.name, chaincode: EVMChaincode(gasLimit: gasLimit), endorsementPolicy: "ANY peer"),
        ]))
    }

    /// The same state under a channel configuration with another gas limit.
    func with(gasLimit: Int) -> EVMChannel {
        var copy = self
        copy.simulator = Self.simulator(gasLimit: gasLimit)
        return copy
    }

    static func address(_ identity: SerializedIdentity) throws -> Address {
        try EVMChaincode.address(ofCertificate: identity.certificate)
    }

    static func proposal(_ function: String, _ arguments: [String], creator: SerializedIdentity, txID: String) -> Proposal {
        Proposal(
            header: ProposalHeader(channelID: name, txID: txID, creator: creator,
                                   nonce: [UInt8](repeating: 7, count: 24), timestamp: timestamp),
            chaincode: EVMChaincode.name, function: function, arguments: arguments.map { Array($0.utf8) })
    }

    /// Simulates without applying (an evaluation).
    func evaluate(_ function: String, _ arguments: [String], as creator: SerializedIdentity = alice, txID: String = "eval") throws -> Simulation {
        try simulator.simulate(Self.proposal(function, arguments, creator: creator, txID: txID), proposalHash: [1], on: state)
    }

    /// Simulates and, when it succeeded, commits its writes as the next block.
    @discardableResult
    mutating func submit(_ function: String, _ arguments: [String], as creator: SerializedIdentity = alice) throws -> Simulation {
        sequence += 1
        let simulation = try evaluate(function, arguments, as: creator, txID: "tx\(sequence)")
        if simulation.succeeded {
            state.apply(simulation.payload.readWriteSet.writes, version: Version(blockNumber: state.height, txNumber: 0),
                        txID: "tx\(sequence)")
        }
        return simulation
    }

    /// Deploys the Vyper token with `supply` for the submitter; returns its address.
    mutating func deployToken(supply: String = "1000000", as creator: SerializedIdentity = alice) throws -> Address {
        let arguments = try EVMChaincode.deployArguments(
            initCode: try Contracts.code("Token"), constructorTypes: "(string,string,uint8,uint256)",
            arguments: ["Weft", "WFT", "18", supply])
        let simulation = try submit("deploy", arguments, as: creator)
        #expect(simulation.succeeded, "\(simulation.payload.response.message)")
        return try EVMChaincode.deployedAddress(simulation.payload.response.payload)
    }

    /// Calls `signature` on `contract` and decodes the result as `returns`; throws the error response.
    func query(_ contract: Address, _ signature: String, _ arguments: [String], returns: String,
               as creator: SerializedIdentity = alice) throws -> [String] {
        let simulation = try evaluate("call", try EVMChaincode.callArguments(contract: contract.description, signature: signature,
                                                                            arguments: arguments), as: creator)
        guard simulation.succeeded else { throw ChaincodeError(simulation.payload.response.message) }
        return try EVMChaincode.decodeResult(simulation.payload.response.payload, returnTypes: returns)
    }

    /// Submits a call of `signature` on `contract`.
    @discardableResult
    mutating func send(_ contract: Address, _ signature: String, _ arguments: [String],
                       as creator: SerializedIdentity = alice) throws -> Simulation {
        try submit("call", try EVMChaincode.callArguments(contract: contract.description, signature: signature, arguments: arguments),
                   as: creator)
    }
}

/// The compiled sample contracts of Chaincode/evm.
enum Contracts {
    static func code(_ name: String) throws -> [UInt8] {
        let url = Vectors.projectRoot.appendingPathComponent("Chaincode/evm/\(name).bin")
        let text = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return try #require(Hex.decode(text))
    }

    /// Initcode that deploys `runtime` as is: CODECOPY it to memory and RETURN it.
    static func deploying(_ runtime: [UInt8]) -> [UInt8] {
        let size = UInt8(runtime.count)
        return [0x60, size, 0x60, 0x0a, 0x5f, 0x39, 0x60, size, 0x5f, 0xf3] + runtime
    }
}

extension ChaincodeResponse {
    var text: String { String(decoding: payload, as: UTF8.self) }
}
