import NIOCore
import NIOEmbedded
import Testing
@testable import Wire

/// The trace context field of request frames (docs/wire.md, "Trace context").
@Suite struct TraceContextFrameTests {
    static let maximum = 4096
    static let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    let context = TraceContext(entries: [.init(key: "traceparent", value: traceparent), .init(key: "tracestate", value: "weft=1")])

    func encode(_ frame: Frame) throws -> [UInt8] {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        try FrameEncoder.write(frame, to: &buffer, maximumFrameLength: Self.maximum)
        return Array(buffer.readableBytesView)
    }

    func decode(_ bytes: [UInt8]) throws -> [Frame] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maximumFrameLength: Self.maximum)))
        defer { _ = try? channel.finish() }
        try channel.writeInbound(ByteBufferAllocator().buffer(bytes: bytes))
        var frames: [Frame] = []
        while let frame = try channel.readInbound(as: Frame.self) { frames.append(frame) }
        return frames
    }

    @Test func exactLayout() throws {
        let frame = Frame(type: .endorse, requestID: 7, kind: .request, body: [0xAA],
                          traceContext: TraceContext(entries: [.init(key: "k", value: "vw")]))
        #expect(try encode(frame) == [
            0, 0, 0, 20,                 // length: 11 header + 2 field length + 6 entry + 1 body
            0, 1,                        // type: endorse
            0, 0, 0, 0, 0, 0, 0, 7,      // request id
            0x81,                        // kind: request, with the trace context flag
            0, 6,                        // trace context: 6 bytes of entries
            1, 0x6B, 0, 2, 0x76, 0x77,   // key "k", value "vw"
            0xAA,                        // body
        ])
        #expect(frame.lengthFieldValue == 20)
    }

    @Test func tracedRequestsRoundTripAndUntracedFramesKeepTheirBytes() throws {
        let traced = [
            Frame(type: .broadcast, requestID: 1, kind: .request, body: Array("envelope".utf8), traceContext: context),
            Frame(type: .deliver, requestID: 2, kind: .streamRequest, body: [0, 0, 0, 0, 0, 0, 0, 5], traceContext: context),
        ]
        #expect(try decode(traced.flatMap(encode)) == traced)
        let plain = Frame(type: .broadcast, requestID: 1, kind: .request, body: [1, 2])
        #expect(try encode(plain)[14] == 1, "an untraced request's kind byte has no flag")
        #expect(try decode(try encode(plain)).first?.traceContext == nil)
    }

    @Test func aFlagOnAnythingButARequestClosesTheConnection() throws {
        var bytes = try encode(Frame(type: .broadcast, requestID: 3, kind: .request, body: [], traceContext: context))
        bytes[14] = FrameKind.response.rawValue | FrameKind.traceContextFlag
        #expect(throws: WireError.malformedTraceContext(.notARequest(.response), requestID: 3)) { try decode(bytes) }
        #expect(throws: WireError.malformedTraceContext(.notARequest(.cancel), requestID: 3)) {
            try encode(Frame(type: .broadcast, requestID: 3, kind: .cancel, traceContext: context))
        }
    }

    @Test func malformedFieldsAreRefused() throws {
        func traced(_ field: [UInt8]) -> [UInt8] {
            let rest: [UInt8] = [0, 1] + [0, 0, 0, 0, 0, 0, 0, 9] + [0x81] + field
            return [0, 0, 0, UInt8(rest.count)] + rest
        }
        let failures: [([UInt8], TraceContextFailure)] = [
            ([0], .truncatedEntry),                               // no room for the field's length
            ([0, 9, 1, 0x6B], .tooLong(9)),                       // longer than the frame
            ([0x04, 0x01], .tooLong(1025)),                       // longer than the maximum
            ([0, 3, 1, 0x6B, 0], .truncatedEntry),                // a value length cut short
            ([0, 4, 1, 0x6B, 0, 2], .truncatedEntry),             // a value cut short
            ([0, 3, 0, 0, 0], .emptyKey),
            ([0, 4, 1, 0x20, 0, 0], .invalidKey),                 // a space in a key
            ([0, 5, 1, 0x6B, 0, 1, 0xC3], .invalidValue),         // not ASCII
        ]
        for (field, failure) in failures {
            #expect(throws: WireError.malformedTraceContext(failure, requestID: 9), "\(field)") { try decode(traced(field)) }
        }
        #expect(try decode(traced([0, 0])).first?.traceContext == TraceContext(), "an empty field is allowed")
    }

    @Test func theEncoderRefusesWhatTheDecoderWould() throws {
        let long = TraceContext(entries: [.init(key: "tracestate", value: String(repeating: "a", count: 1100))])
        #expect(!long.isEncodable)
        #expect(throws: WireError.self) { try encode(Frame(type: .ping, requestID: 1, kind: .request, traceContext: long)) }
        #expect(!TraceContext(entries: [.init(key: "é", value: "x")]).isEncodable)
    }
}
