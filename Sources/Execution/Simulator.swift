import WeftCore

/// The outcome of simulating one proposal.
public struct Simulation: Sendable {
    /// What the endorser signs: proposal hash, chaincode, read-write set, event and response.
    public var payload: ProposalResponsePayload

    /// Whether the chaincode succeeded; an error response is not endorsable.
    public var succeeded: Bool { payload.response.isSuccess }
}

/// Why a simulation could not run at all (as opposed to the chaincode returning an error response).
public enum SimulationError: Error, Sendable, CustomStringConvertible {
    /// No chaincode of that name is installed on the channel.
    case unknownChaincode(String)
    /// The chaincode is installed but the channel has not defined it (docs/governance.md).
    case undefinedChaincode(String)
    /// Reading world state failed; the proposal must not be endorsed.
    case storage(String)

    public var description: String {
        switch self {
        case .unknownChaincode(let name): "chaincode \"\(name)\" is not installed on this channel"
        case .undefinedChaincode(let name):
            "chaincode \"\(name)\" is not defined on this channel: its organizations approve and commit a definition first (weft chaincode approve, weft chaincode commit)"
        case .storage(let reason): "reading world state failed: \(reason)"
        }
    }
}

/// Runs chaincode against a read snapshot and records the read-write set. It never writes state.
/// A simulator is a value: share it freely; simulations on different threads are independent.
public struct Simulator: Sendable {
    public let registry: ChaincodeRegistry

    public init(registry: ChaincodeRegistry) { self.registry = registry }

    /// Simulates `proposal` against `snapshot`. `proposalHash` binds the result to the signed bytes.
    ///
    /// A chaincode error (a thrown error or a failing status) becomes an error response with its
    /// message; the read-write set is still returned, so the same invocation always yields the same
    /// bytes. Throws only when the chaincode is unknown or storage fails.
    public func simulate(
        _ proposal: Proposal, proposalHash: [UInt8], on snapshot: any StateSnapshot
    ) throws(SimulationError) -> Simulation {
        guard let definition = registry.definition(named: proposal.chaincode) else {
            throw .unknownChaincode(proposal.chaincode)
        }
        let stub = ChaincodeStub(proposal: proposal, snapshot: snapshot)
        if let genesis = registry.genesisDefinitions, proposal.chaincode != LifecycleKeys.namespace {
            let stored = try? stub.getState(LifecycleKeys.definition(proposal.chaincode), namespace: LifecycleKeys.namespace)
            if let failure = stub.storageFailure { throw .storage("\(failure)") }
            guard stored != nil || genesis[proposal.chaincode] != nil else { throw .undefinedChaincode(proposal.chaincode) }
        }
        let response: ChaincodeResponse
        do {
            response = .success(try definition.chaincode.invoke(stub))
        } catch let error as ChaincodeError {
            response = .error(error.message, status: error.status)
        } catch {
            response = .error("\(error)")
        }
        if let failure = stub.storageFailure { throw .storage("\(failure)") }
        let payload = ProposalResponsePayload(
            proposalHash: proposalHash, chaincode: proposal.chaincode,
            readWriteSet: stub.recorder.build(),
            event: response.isSuccess ? stub.event : nil, response: response)
        return Simulation(payload: payload)
    }
}
