import WeftCore

/// Why a client operation failed. `isUnreachable` errors map to the CLI's exit status 3.
public enum GatewayError: Error, Sendable, CustomStringConvertible {
    /// The profile could not be read or is inconsistent.
    case badProfile(String)
    /// A node could not be reached or refused the caller.
    case unreachable(node: String, address: String, reason: String)
    /// A node answered but refused the caller this call (e.g. not a reader of the channel).
    case refused(node: String, address: String, reason: String)
    /// An endorser refused or the chaincode returned an error.
    case endorsementFailed(peer: String, status: UInt32, message: String)
    /// Endorsers disagree or cannot be assembled.
    case endorsement(EndorsementError)
    /// No orderer accepted the envelope.
    case broadcastFailed(status: BroadcastStatus, message: String)
    /// The transaction was not seen committed in time.
    case commitTimeout(txID: String, seconds: Double)
    /// A node answered something that does not decode.
    case protocolError(String)

    /// Whether a node could not be reached or refused the caller (CLI exit status 3).
    public var isUnreachable: Bool {
        switch self {
        case .unreachable, .refused: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .badProfile(let why): "connection profile: \(why)"
        case let .unreachable(node, address, reason): "\(node) (\(address)) could not be reached: \(reason)"
        case let .refused(node, address, reason): "\(node) (\(address)) refused the call: \(reason)"
        case let .endorsementFailed(peer, status, message): "\(peer) did not endorse (status \(status)): \(message)"
        case .endorsement(let error): error.description
        case let .broadcastFailed(status, message): "no orderer accepted the transaction (status \(status)): \(message)"
        case let .commitTimeout(txID, seconds): "transaction \(txID) was not committed within \(Int(seconds)) s"
        case .protocolError(let what): "unexpected answer: \(what)"
        }
    }
}
