import NIOConcurrencyHelpers

/// Where the work a node runs for its channels reports that it died by itself. Channels are joined
/// and left at run time, so their work is not a fixed list of services: each channel reports here,
/// and the node's `ChannelSupervisor` — one service of the process — ends the process with the first
/// report. A channel that is closed on purpose (left, or the node shutting down) reports nothing.
final class ChannelFailures: Sendable {
    private let stream: AsyncStream<ComponentFailure>
    private let continuation: AsyncStream<ComponentFailure>.Continuation
    private let firstFailure = NIOLockedValueBox<ComponentFailure?>(nil)

    init() {
        (stream, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Records that `failure` happened; the supervisor stops the process.
    func report(_ failure: ComponentFailure) {
        firstFailure.withLockedValue { first in
            if first == nil { first = failure }
        }
        continuation.yield(failure)
    }

    /// The first failure reported, if any (for `/healthz`, which reports it until the process exits).
    var first: ComponentFailure? { firstFailure.withLockedValue { $0 } }

    /// The failures as they are reported. One consumer: the supervisor.
    var reports: AsyncStream<ComponentFailure> { stream }
}
