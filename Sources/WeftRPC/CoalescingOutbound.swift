import NIOCore
import Wire

/// Writes frames to one connection from any thread and flushes once per batch: a frame is written on
/// the event loop at once, and the flush runs after the other tasks the loop has queued meanwhile. Under
/// load the requests of many concurrent calls then leave in one TLS flush and one `write` system call
/// instead of one each; alone, a frame leaves as soon as the loop gets to it.
final class CoalescingOutbound: Sendable {
    private let channel: Channel
    /// Touched on the event loop only.
    private let flushScheduled: NIOLoopBoundBox<Bool>

    init(channel: Channel) {
        self.channel = channel
        flushScheduled = NIOLoopBoundBox.makeBoxSendingValue(false, eventLoop: channel.eventLoop)
    }

    /// Writes `frame`; `promise` completes when it was written (or failed). `first` runs on the event
    /// loop just before the write (a call's timeout is scheduled there: one hop to the loop, not two).
    func write(_ frame: Frame, promise: EventLoopPromise<Void>? = nil, first: (@Sendable () -> Void)? = nil) {
        if channel.eventLoop.inEventLoop {
            writeOnLoop(frame, promise: promise, first: first)
        } else {
            channel.eventLoop.execute { self.writeOnLoop(frame, promise: promise, first: first) }
        }
    }

    private func writeOnLoop(_ frame: Frame, promise: EventLoopPromise<Void>?, first: (@Sendable () -> Void)?) {
        first?()
        channel.write(frame, promise: promise)
        guard !flushScheduled.value else { return }
        flushScheduled.value = true
        channel.eventLoop.execute {
            self.flushScheduled.value = false
            self.channel.flush()
        }
    }
}
