import Synchronization
@testable import WeftOTLP

/// A transport that keeps each request body, or fails every send while `isFailing`.
final class RecordingTransport: SpanTransport {
    struct Down: Error {}

    private let state = Mutex<(bodies: [[UInt8]], isFailing: Bool)>(([], false))

    init(failing: Bool = false) {
        state.withLock { $0.isFailing = failing }
    }

    var bodies: [[UInt8]] { state.withLock(\.bodies) }

    func setFailing(_ failing: Bool) {
        state.withLock { $0.isFailing = failing }
    }

    func send(_ body: [UInt8]) async throws {
        try state.withLock { state in
            if state.isFailing { throw Down() }
            state.bodies.append(body)
        }
    }

    /// How many spans the bodies hold (each span has one `"spanId"` key, links aside).
    var spanCount: Int {
        bodies.reduce(0) { count, body in count + String(decoding: body, as: UTF8.self).components(separatedBy: "\"spanId\"").count - 1 }
    }
}
