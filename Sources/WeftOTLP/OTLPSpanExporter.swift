import Logging
import ServiceLifecycle
import Synchronization

/// OpenTelemetry's batch span processor and OTLP exporter in one service: ended spans wait in a
/// bounded ``ExportQueue`` and go to the collector in batches — every `scheduleDelay`, as soon as a
/// full batch waits, when asked (``exportSoon()``), and all that is left at graceful shutdown.
///
/// Ending a span never waits for the network: ``enqueue(_:)`` takes a lock, appends and returns, and
/// when the queue is full the span is dropped and counted (``droppedSpans``), with a warning at most
/// every `reportInterval`. One export runs at a time. A failed export loses its batch (counted in
/// ``failedSpans``) and is a warning the first time in a row, debug after; so is the shutdown flush's,
/// which then gives up on the rest, so an unreachable collector holds a process's exit one export
/// timeout at most.
///
/// Run it in the process's `ServiceGroup` before the services whose spans it exports, so it stops
/// after them and their last spans are flushed.
public final class OTLPSpanExporter: Service, Sendable {
    private struct Report {
        var exported: UInt64 = 0
        var failed: UInt64 = 0
        var droppedReported: UInt64 = 0
        var lastDropReport: ContinuousClock.Instant?
        var isFailing = false
    }

    private let queue: Mutex<ExportQueue<FinishedSpan>>
    private let report = Mutex(Report())
    private let wakeup = ExportWakeup()
    private let isStopping = Atomic<Bool>(false)
    private let transport: any SpanTransport
    private let encoder: OTLPJSONEncoder
    private let scheduleDelay: Duration
    private let reportInterval: Duration
    private let logger: Logger

    /// An exporter that sends through `transport` what `encoder` makes of each batch.
    /// - Parameters:
    ///   - scheduleDelay: the longest a span waits for export (`OTEL_BSP_SCHEDULE_DELAY`).
    ///   - maxQueueSize: the most spans waiting; more are dropped (`OTEL_BSP_MAX_QUEUE_SIZE`).
    ///   - maxExportBatchSize: the most spans in one request (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`).
    ///   - reportInterval: the least time between two warnings about dropped spans.
    public init(
        transport: any SpanTransport, encoder: OTLPJSONEncoder, scheduleDelay: Duration = .seconds(5),
        maxQueueSize: Int = 2048, maxExportBatchSize: Int = 512, reportInterval: Duration = .seconds(10), logger: Logger
    ) {
        self.transport = transport
        self.encoder = encoder
        self.scheduleDelay = scheduleDelay
        self.reportInterval = reportInterval
        self.logger = logger
        self.queue = Mutex(ExportQueue(capacity: maxQueueSize, batchSize: maxExportBatchSize))
    }

    /// Queues an ended span for export, or drops it when the queue is full; wakes the export loop
    /// when a full batch waits. Never blocks on I/O.
    public func enqueue(_ span: FinishedSpan) {
        if queue.withLock({ $0.append(span) }) == .batchReady {
            wakeup.wake()
        }
    }

    /// Wakes the export loop now rather than at its next scheduled export.
    public func exportSoon() {
        wakeup.wake()
    }

    /// Spans waiting for export.
    public var queuedSpans: Int { queue.withLock(\.count) }
    /// Spans dropped because the queue was full.
    public var droppedSpans: UInt64 { queue.withLock(\.dropped) }
    /// Spans the collector accepted.
    public var exportedSpans: UInt64 { report.withLock(\.exported) }
    /// Spans lost in failed exports.
    public var failedSpans: UInt64 { report.withLock(\.failed) }

    /// Exports on schedule until graceful shutdown (or cancellation), then flushes what is queued.
    public func run() async throws {
        await withGracefulShutdownHandler {
            while !isStopping.load(ordering: .relaxed), !Task.isCancelled {
                await wakeup.wait(atMost: scheduleDelay)
                await exportQueued()
            }
        } onGracefulShutdown: {
            self.isStopping.store(true, ordering: .relaxed)
            self.wakeup.wake()
        }
        await exportQueued(isFinal: true)
    }

    /// Sends every queued span, batch by batch; stops at the first failed batch when `isFinal` (the
    /// shutdown flush), dropping the rest.
    public func exportQueued(isFinal: Bool = false) async {
        while true {
            let batch = queue.withLock { $0.takeBatch() }
            if batch.isEmpty { break }
            if await !send(batch), isFinal {
                let rest = queue.withLock { $0.removeAll() }
                report.withLock { $0.failed += UInt64(rest) }
                if rest > 0 { logger.warning("trace export: \(rest) spans not sent at shutdown, the collector did not accept the flush") }
                break
            }
        }
        reportDrops(force: isFinal)
    }

    /// Sends one batch; whether the collector accepted it.
    private func send(_ batch: [FinishedSpan]) async -> Bool {
        do {
            try await transport.send(encoder.encode(batch))
            let recovered = report.withLock { report in
                report.exported += UInt64(batch.count)
                defer { report.isFailing = false }
                return report.isFailing
            }
            if recovered { logger.info("trace export: the collector accepts spans again") }
            return true
        } catch {
            let isFirst = report.withLock { report in
                report.failed += UInt64(batch.count)
                defer { report.isFailing = true }
                return !report.isFailing
            }
            logger.log(level: isFirst ? .warning : .debug, "trace export failed, \(batch.count) spans lost: \(error)")
            return false
        }
    }

    /// Warns of spans dropped since the last warning, at most every `reportInterval` unless `force`.
    private func reportDrops(force: Bool) {
        let dropped = droppedSpans
        let now = ContinuousClock.now
        let newlyDropped: UInt64? = report.withLock { report in
            guard dropped > report.droppedReported else { return nil }
            if !force, let last = report.lastDropReport, now - last < reportInterval { return nil }
            defer {
                report.droppedReported = dropped
                report.lastDropReport = now
            }
            return dropped - report.droppedReported
        }
        if let newlyDropped {
            logger.warning("trace export: \(newlyDropped) spans dropped, the queue was full (\(dropped) in all); sample less or raise OTEL_BSP_MAX_QUEUE_SIZE")
        }
    }
}
