/// Finished spans waiting for export, as a value-type state machine: bounded — a span that arrives
/// when `capacity` are waiting is dropped and counted, never blocking the code that ended it — and
/// handed out in batches of at most `batchSize`, oldest first.
///
/// `append` says when the exporter should be woken early: when the waiting spans first fill a batch.
/// ``OTLPSpanExporter`` holds one behind a lock and does the I/O.
public struct ExportQueue<Element> {
    /// What `append` did with an element.
    public enum Outcome: Equatable, Sendable {
        /// Queued; fewer than a batch are waiting, or the exporter was already told of a full one.
        case queued
        /// Queued, and now a full batch waits: wake the exporter.
        case batchReady
        /// The queue was full: the element is gone and counted in ``dropped``.
        case dropped
    }

    /// The most elements waiting at once (`OTEL_BSP_MAX_QUEUE_SIZE`).
    public let capacity: Int
    /// The most elements in one batch (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`).
    public let batchSize: Int
    /// Elements dropped because the queue was full, since it was made.
    public private(set) var dropped: UInt64 = 0

    private var storage: [Element] = []
    private var head = 0

    /// An empty queue; `batchSize` is capped at `capacity`, both at least 1.
    public init(capacity: Int, batchSize: Int) {
        self.capacity = max(1, capacity)
        self.batchSize = max(1, min(batchSize, capacity))
    }

    /// How many elements wait.
    public var count: Int { storage.count - head }

    /// Whether none wait.
    public var isEmpty: Bool { count == 0 }

    /// Queues `element`, or drops it when `capacity` already wait.
    public mutating func append(_ element: Element) -> Outcome {
        guard count < capacity else {
            dropped += 1
            return .dropped
        }
        storage.append(element)
        return count == batchSize ? .batchReady : .queued
    }

    /// Takes the oldest `batchSize` elements (fewer when fewer wait; none when empty).
    public mutating func takeBatch() -> [Element] {
        let end = head + min(batchSize, count)
        let batch = Array(storage[head..<end])
        head = end
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= batchSize * 4 {
            storage.removeFirst(head)
            head = 0
        }
        return batch
    }

    /// Empties the queue; returns how many elements it held.
    public mutating func removeAll() -> Int {
        defer {
            storage.removeAll()
            head = 0
        }
        return count
    }
}
