import Logging
import Testing
import Tracing
@testable import WeftOTLP

/// The exporter's batching and its bounded queue, with a transport that records what it is sent.
@Suite struct OTLPSpanExporterTests {
    static func span(_ number: UInt64) -> FinishedSpan {
        FinishedSpan(
            context: SpanContext(traceID: TraceID(high: 1, low: number)!, spanID: SpanID(number)!, isSampled: true),
            parentSpanID: nil, name: "span\(number)", kind: .internal, startNanoseconds: number, endNanoseconds: number + 1)
    }

    static func exporter(_ transport: RecordingTransport, queue: Int, batch: Int) -> OTLPSpanExporter {
        OTLPSpanExporter(
            transport: transport, encoder: OTLPJSONEncoder(resourceAttributes: [("service.name", "test")]),
            scheduleDelay: .seconds(3600), maxQueueSize: queue, maxExportBatchSize: batch, logger: Logger(label: "test"))
    }

    @Test func spansBeyondTheQueueAreDroppedAndCounted() async {
        let transport = RecordingTransport()
        let exporter = Self.exporter(transport, queue: 10, batch: 4)
        for number in 1...25 { exporter.enqueue(Self.span(UInt64(number))) }
        #expect(exporter.queuedSpans == 10)
        #expect(exporter.droppedSpans == 15)
        await exporter.exportQueued()
        #expect(transport.bodies.count == 3)   // 4 + 4 + 2
        #expect(transport.spanCount == 10)
        #expect(exporter.exportedSpans == 10)
        #expect(exporter.queuedSpans == 0)
        // Room again once exported.
        exporter.enqueue(Self.span(26))
        #expect(exporter.queuedSpans == 1)
        #expect(exporter.droppedSpans == 15)
    }

    @Test func aFailedExportLosesItsBatchAndTheFinalFlushGivesUp() async {
        let transport = RecordingTransport(failing: true)
        let exporter = Self.exporter(transport, queue: 100, batch: 4)
        for number in 1...10 { exporter.enqueue(Self.span(UInt64(number))) }
        await exporter.exportQueued(isFinal: true)
        #expect(exporter.failedSpans == 10)   // one failed batch of 4, then the 6 left given up
        #expect(exporter.queuedSpans == 0)
        transport.setFailing(false)
        exporter.enqueue(Self.span(11))
        await exporter.exportQueued()
        #expect(exporter.exportedSpans == 1)
    }

    @Test func aFullBatchIsExportedWithoutWaitingForTheSchedule() async throws {
        let transport = RecordingTransport()
        let exporter = Self.exporter(transport, queue: 100, batch: 3)
        let running = Task { try await exporter.run() }
        for number in 1...3 { exporter.enqueue(Self.span(UInt64(number))) }
        // The schedule is an hour: only the full batch's wake can send these.
        while exporter.exportedSpans < 3 { try await Task.sleep(for: .milliseconds(5)) }
        // Cancelled, the loop ends and flushes what is left.
        exporter.enqueue(Self.span(4))
        running.cancel()
        try await running.value
        #expect(exporter.exportedSpans == 4)
        #expect(transport.bodies.count == 2)
    }

    @Test func endingASpanOfTheTracerQueuesIt() async {
        let transport = RecordingTransport()
        let exporter = Self.exporter(transport, queue: 100, batch: 100)
        let tracer = OTLPTracer(exporter: exporter)
        let root = tracer.startSpan("tx.submit", context: .topLevel)
        let child = tracer.startSpan("tx.endorse", context: root.context, ofKind: .client)
        child.attributes["weft.peer"] = "peer0"
        child.setStatus(SpanStatus(code: .error, message: "no"))
        child.end()
        child.end()   // once only
        root.end()
        #expect(exporter.queuedSpans == 2)
        await exporter.exportQueued()
        let json = String(decoding: transport.bodies.first ?? [], as: UTF8.self)
        #expect(json.contains("\"parentSpanId\":\"\(root.spanContext.spanID.hex)\""))
        #expect(json.contains("\"name\":\"tx.endorse\",\"kind\":3"))
        #expect(json.contains("{\"key\":\"weft.peer\",\"value\":{\"stringValue\":\"peer0\"}}"))
        #expect(json.contains("\"status\":{\"code\":2,\"message\":\"no\"}"))
    }
}
