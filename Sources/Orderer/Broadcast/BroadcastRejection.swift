import WeftCore

/// Why the broadcast checks refused an envelope: the status to answer with and the precise reason.
public struct BroadcastRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// The status of the answer.
    public var status: BroadcastStatus
    /// The reason, naming what was wrong.
    public var reason: String

    /// Creates a rejection.
    public init(_ status: BroadcastStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    /// The answer to send.
    public var response: BroadcastResult { BroadcastResult(status: status, message: reason) }

    public var description: String { "\(status): \(reason)" }
}
