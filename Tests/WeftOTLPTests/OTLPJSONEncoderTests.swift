import Foundation
import Testing
import Tracing
@testable import WeftOTLP

/// The OTLP/JSON encoding of spans, byte for byte: ids as lowercase hex, times as Unix nanoseconds
/// in strings, kinds and status codes as OTLP's numbers, attributes as typed `AnyValue`s sorted by key.
@Suite struct OTLPJSONEncoderTests {
    static let traceID = TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736)!
    static let spanID = SpanID(0x00f0_67aa_0ba9_02b7)!
    static let parentID = SpanID(0x1122_3344_5566_7788)!

    static func span(kind: SpanKind = .server) -> FinishedSpan {
        var attributes = SpanAttributes()
        attributes["weft.tx_id"] = "tx\"1\n"
        attributes["weft.tx_number"] = 7
        attributes["weft.ok"] = true
        attributes["weft.ratio"] = 0.5
        attributes["weft.peers"] = SpanAttribute.stringArray(["peer0", "peer1"])
        return FinishedSpan(
            context: SpanContext(traceID: traceID, spanID: spanID, isSampled: true, traceState: "weft=1"),
            parentSpanID: parentID, name: "weft/endorse", kind: kind,
            startNanoseconds: 1_764_680_000_123_456_789, endNanoseconds: 1_764_680_000_223_456_789,
            attributes: attributes, status: SpanStatus(code: .error, message: "refused"),
            events: [SpanEvent(name: "exception", at: DefaultTracerClock.Instant(nanosecondsSinceEpoch: 1_764_680_000_200_000_000),
                               attributes: ["exception.type": "RPCError"])])
    }

    @Test func oneSpanIsTheGoldenRequest() {
        let encoder = OTLPJSONEncoder(resourceAttributes: [("service.name", "peer0.org1"), ("weft.role", "peer")])
        let json = String(decoding: encoder.encode([Self.span()]), as: UTF8.self)
        let expected = """
            {"resourceSpans":[{"resource":{"attributes":[\
            {"key":"service.name","value":{"stringValue":"peer0.org1"}},\
            {"key":"weft.role","value":{"stringValue":"peer"}}]},\
            "scopeSpans":[{"scope":{"name":"weft"},"spans":[{\
            "traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","parentSpanId":"1122334455667788",\
            "traceState":"weft=1","name":"weft/endorse","kind":2,\
            "startTimeUnixNano":"1764680000123456789","endTimeUnixNano":"1764680000223456789",\
            "attributes":[\
            {"key":"weft.ok","value":{"boolValue":true}},\
            {"key":"weft.peers","value":{"arrayValue":{"values":[{"stringValue":"peer0"},{"stringValue":"peer1"}]}}},\
            {"key":"weft.ratio","value":{"doubleValue":0.5}},\
            {"key":"weft.tx_id","value":{"stringValue":"tx\\"1\\n"}},\
            {"key":"weft.tx_number","value":{"intValue":"7"}}],\
            "events":[{"timeUnixNano":"1764680000200000000","name":"exception","attributes":[\
            {"key":"exception.type","value":{"stringValue":"RPCError"}}]}],\
            "status":{"code":2,"message":"refused"}}]}]}]}
            """
        #expect(json == expected)
    }

    @Test func theRequestIsJSONThatReadsBack() throws {
        let encoder = OTLPJSONEncoder(resourceAttributes: [("service.name", "weft-client")])
        let body = encoder.encode([Self.span(kind: .client), Self.span(kind: .internal)])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let resourceSpans = try #require((root["resourceSpans"] as? [[String: Any]])?.first)
        let spans = try #require(((resourceSpans["scopeSpans"] as? [[String: Any]])?.first)?["spans"] as? [[String: Any]])
        #expect(spans.count == 2)
        #expect(spans.map { $0["kind"] as? Int } == [3, 1])
        #expect(spans.first?["traceId"] as? String == Self.traceID.hex)
    }

    @Test func kindsAreOTLPNumbers() {
        #expect([SpanKind.internal, .server, .client, .producer, .consumer].map(OTLPJSONEncoder.kindNumber) == [1, 2, 3, 4, 5])
    }

    @Test func aRootWithoutStatusOrEventsWritesNeither() {
        let span = FinishedSpan(
            context: SpanContext(traceID: Self.traceID, spanID: Self.spanID, isSampled: true), parentSpanID: nil,
            name: "tx.submit", kind: .internal, startNanoseconds: 1, endNanoseconds: 2, status: SpanStatus(code: .ok))
        var json = JSONWriter()
        OTLPJSONEncoder.write(span, to: &json)
        #expect(String(decoding: json.bytes, as: UTF8.self) == """
            {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","name":"tx.submit","kind":1,\
            "startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[],"status":{"code":1}}
            """)
    }

    @Test func stringsEscapeControlCharactersAndKeepUnicode() {
        var json = JSONWriter()
        json.string("a\u{1}b\\c\té")
        #expect(String(decoding: json.bytes, as: UTF8.self) == #""a\u0001b\\c\té""#)
        var numbers = JSONWriter()
        numbers.number(Double.nan)
        numbers.number(-Double.infinity)
        numbers.quoted(Int64.min)
        #expect(String(decoding: numbers.bytes, as: UTF8.self) == #""NaN""-Infinity""-9223372036854775808""#)
    }
}
