/// The Raft messages waiting to go to one other node, for a transport that sends one frame at a time
/// and waits for its answer before it sends the next (the orderer's `raftMessage` call).
///
/// Whatever accumulated while a frame was on its way leaves together in the next frame. A link
/// therefore carries, per round trip, everything Raft produced during one — however many `Ready`
/// batches that was. (A queue of one frame per `Ready` carries one batch per round trip: across a
/// 100 ms link that is fewer than a leader under load produces — a heartbeat every tick, an append
/// per block, a commit update per acknowledgement — so the queue grows without bound and every
/// message waits behind all the stale ones queued before it. That was the WAN stall of
/// docs/BENCHMARKS.md, "Separate hosts".)
///
/// While the link is down the outbox keeps at most `maxBytes` of encoded messages, dropping the
/// oldest first: Raft resends whatever still matters (a lost append is answered by a rejection or
/// repaired after the next heartbeat).
public struct RaftOutbox: Sendable {
    private var queued: [(message: Message, size: Int)] = []
    /// The position of the oldest message still queued (messages before it were taken or dropped).
    private var head = 0
    private var queuedBytes = 0
    /// The most encoded bytes the outbox holds.
    public let maxBytes: Int
    /// How many messages were dropped because the outbox was full.
    public private(set) var dropped = 0

    /// Creates an empty outbox holding at most `maxBytes` of encoded messages (at least the newest one).
    public init(maxBytes: Int = 64 << 20) {
        self.maxBytes = maxBytes
    }

    /// How many messages wait.
    public var count: Int { queued.count - head }
    /// Whether nothing waits.
    public var isEmpty: Bool { count == 0 }

    /// Queues `messages` (in order) behind those already waiting; drops the oldest beyond `maxBytes`.
    public mutating func append(_ messages: [Message]) {
        for message in messages {
            let size = message.canonicalBytes.count
            queued.append((message, size))
            queuedBytes += size
        }
        while queuedBytes > maxBytes, count > 1 {
            queuedBytes -= queued[head].size
            head += 1
            dropped += 1
        }
        compactIfWorthwhile()
    }

    /// Takes the oldest waiting messages whose encoding as one list (a `u32` count, then each message)
    /// fits in `maxFrameBytes` — at least one message, however large — or nil when nothing waits.
    public mutating func takeFrame(maxFrameBytes: Int) -> [Message]? {
        guard !isEmpty else { return nil }
        var frame: [Message] = []
        var frameBytes = Self.countPrefix
        while head < queued.count {
            let (message, size) = queued[head]
            if !frame.isEmpty, frameBytes + size > maxFrameBytes { break }
            frame.append(message)
            frameBytes += size
            queuedBytes -= size
            head += 1
        }
        compactIfWorthwhile()
        return frame
    }

    private static let countPrefix = 4

    /// Releases the slots of taken messages once they are half of the storage (amortized O(1)).
    private mutating func compactIfWorthwhile() {
        if head == queued.count {
            queued.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024, head * 2 >= queued.count {
            queued.removeFirst(head)
            head = 0
        }
    }
}
