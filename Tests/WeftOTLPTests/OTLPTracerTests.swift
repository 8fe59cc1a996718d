import Logging
import Raft
import Testing
import Tracing
@testable import WeftOTLP

/// Trace context inside a process (parent and child) and across processes (`traceparent`), and the
/// samplers' decisions.
@Suite struct OTLPTracerTests {
    struct Headers: Injector, Extractor {
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
        func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
    }

    static func tracer(_ sampler: TraceSampler = .default) -> OTLPTracer {
        OTLPTracer(
            exporter: OTLPSpanExporter(
                transport: RecordingTransport(), encoder: OTLPJSONEncoder(resourceAttributes: []), logger: Logger(label: "test")),
            sampler: sampler)
    }

    @Test func aChildJoinsItsParentsTrace() {
        let tracer = Self.tracer()
        let root = tracer.startSpan("root", context: .topLevel)
        let child = tracer.startSpan("child", context: root.context)
        #expect(root.parentSpanID == nil)
        #expect(child.spanContext.traceID == root.spanContext.traceID)
        #expect(child.parentSpanID == root.spanContext.spanID)
        #expect(child.spanContext.spanID != root.spanContext.spanID)
        #expect(child.context.spanContext == child.spanContext)
        #expect(tracer.startSpan("other", context: .topLevel).spanContext.traceID != root.spanContext.traceID)
    }

    @Test func traceparentCarriesTheContextToAnotherProcess() {
        let client = Self.tracer()
        let call = client.startSpan("weft/endorse", context: .topLevel, ofKind: .client)
        var headers: [String: String] = [:]
        client.inject(call.context, into: &headers, using: Headers())
        #expect(headers["traceparent"] == "00-\(call.spanContext.traceID.hex)-\(call.spanContext.spanID.hex)-01")
        #expect(headers["tracestate"] == nil)

        var received = ServiceContext.topLevel
        Self.tracer().extract(headers.merging(["tracestate": "vendor=x"]) { $1 }, into: &received, using: Headers())
        guard let remote = received.spanContext else { Issue.record("no context extracted"); return }
        #expect(remote.isRemote && remote.isSampled && remote.traceState == "vendor=x")
        let handler = Self.tracer().startSpan("weft/endorse", context: received, ofKind: .server)
        #expect(handler.spanContext.traceID == call.spanContext.traceID)
        #expect(handler.parentSpanID == call.spanContext.spanID)
        #expect(handler.spanContext.traceState == "vendor=x")
        #expect(handler.isRecording)
    }

    @Test func nothingIsInjectedOutsideATrace() {
        var headers: [String: String] = [:]
        Self.tracer().inject(.topLevel, into: &headers, using: Headers())
        #expect(headers.isEmpty)
        var context = ServiceContext.topLevel
        Self.tracer().extract(["traceparent": "garbage"], into: &context, using: Headers())
        #expect(context.spanContext == nil)
    }

    @Test func anUnsampledTraceHasIdsButRecordsNothing() async {
        let transport = RecordingTransport()
        let exporter = OTLPSpanExporter(transport: transport, encoder: OTLPJSONEncoder(resourceAttributes: []), logger: Logger(label: "test"))
        let tracer = OTLPTracer(exporter: exporter, sampler: .parentBased(root: .alwaysOff))
        let root = tracer.startSpan("root", context: .topLevel)
        let child = tracer.startSpan("child", context: root.context)
        #expect(!root.isRecording && !child.isRecording)
        #expect(child.spanContext.traceID == root.spanContext.traceID)
        var headers: [String: String] = [:]
        tracer.inject(child.context, into: &headers, using: Headers())
        #expect(headers["traceparent"]?.hasSuffix("-00") == true)   // the decision travels
        child.end()
        root.end()
        #expect(exporter.queuedSpans == 0)
    }

    @Test func traceparentParsing() {
        let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let context = SpanContext(traceparent: valid)
        #expect(context?.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(context?.spanID.hex == "00f067aa0ba902b7")
        #expect(context?.isSampled == true)
        #expect(context?.traceparent == valid)
        #expect(SpanContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.isSampled == false)
        // A later version may append fields.
        #expect(SpanContext(traceparent: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra") != nil)
        for invalid in [
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",   // version 00 has exactly 4 fields
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "",
        ] {
            #expect(SpanContext(traceparent: invalid) == nil, "\(invalid)")
        }
    }

    @Test func ratioSamplingFollowsTheTraceID() {
        let half = TraceSampler.traceIDRatio(0.5)
        let low = TraceID(high: 9, low: 0x3FFF_FFFF_FFFF_FFFF)!
        let high = TraceID(high: 9, low: 0xC000_0000_0000_0000)!
        #expect(half.isSampled(traceID: low, parent: nil))
        #expect(!half.isSampled(traceID: high, parent: nil))
        #expect(!TraceSampler.traceIDRatio(0).isSampled(traceID: low, parent: nil))
        #expect(TraceSampler.traceIDRatio(1).isSampled(traceID: high, parent: nil))
        var generator = SplitMix64(seed: 22)
        let kept = (0..<10_000).filter { _ in
            TraceSampler.traceIDRatio(0.01).isSampled(traceID: .random(using: &generator), parent: nil)
        }.count
        #expect((50...150).contains(kept), "seed 22: \(kept) of 10,000 kept at 1 %")
        let parent = SpanContext(traceID: high, spanID: SpanID(1)!, isSampled: true)
        #expect(TraceSampler.parentBased(root: .alwaysOff).isSampled(traceID: high, parent: parent))
    }

    @Test func samplerNames() {
        #expect(TraceSampler(name: "parentbased_traceidratio", argument: "0.01") == .parentBased(root: .traceIDRatio(0.01)))
        #expect(TraceSampler(name: "always_off", argument: nil) == .alwaysOff)
        #expect(TraceSampler(name: "traceidratio", argument: nil) == .traceIDRatio(1))
        #expect(TraceSampler(name: "jaeger_remote", argument: nil) == nil)
        #expect(TraceSampler(name: "traceidratio", argument: "2") == nil)
    }
}
