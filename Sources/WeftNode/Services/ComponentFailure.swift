/// A part of a node that stopped by itself while the node was meant to run on: the RPC server, the
/// operations endpoint, a background job, or one channel's ordering node (orderer) or block puller
/// (peer). Thrown by the part's service, it shuts the whole process down gracefully and makes it exit
/// with a non-zero status (docs/operations.md, "When a component fails").
public struct ComponentFailure: Error, CustomStringConvertible, Sendable {
    /// What failed, e.g. "the ordering node of channel mychannel".
    public let component: String
    /// Why, as the component reported it.
    public let reason: String

    public init(component: String, reason: String) {
        self.component = component
        self.reason = reason
    }

    public init(component: String, error: any Error) {
        self.init(component: component, reason: "\(error)")
    }

    public var description: String { "\(component) failed: \(reason)" }
}
