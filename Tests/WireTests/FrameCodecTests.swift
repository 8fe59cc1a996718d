import NIOCore
import NIOEmbedded
import Raft
import Testing
import WeftCore
@testable import Wire

@Suite struct FrameCodecTests {
    static let maximum = 1024

    /// A channel with the decoder and encoder installed, as a connection has them.
    func makeChannel(maximum: Int = maximum) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(maximumFrameLength: maximum)))
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(FrameEncoder(maximumFrameLength: maximum)))
        return channel
    }

    func bytes(of frames: [Frame]) throws -> [UInt8] {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        for frame in frames { try FrameEncoder.write(frame, to: &buffer, maximumFrameLength: Self.maximum) }
        return Array(buffer.readableBytesView)
    }

    func buffer(_ bytes: some Sequence<UInt8>) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 16)
        buffer.writeBytes(Array(bytes))
        return buffer
    }

    func readFrames(_ channel: EmbeddedChannel) throws -> [Frame] {
        var frames: [Frame] = []
        while let frame = try channel.readInbound(as: Frame.self) { frames.append(frame) }
        return frames
    }

    let sample: [Frame] = [
        Frame(type: .endorse, requestID: 1, kind: .request, body: Array("proposal".utf8)),
        Frame(type: .deliver, requestID: 0xFFFF_FFFF_FFFF_FFFF, kind: .streamItem, body: [0, 1, 2, 255]),
        Frame(type: .deliver, requestID: 7, kind: .streamEnd),
        Frame(typeCode: 65535, requestID: 9, kind: .error, body: ErrorBody(code: 2, message: "no").canonicalBytes),
    ]

    @Test func exactLayout() throws {
        let frame = Frame(type: .broadcast, requestID: 0x0102_0304_0506_0708, kind: .response, body: [0xAA, 0xBB])
        #expect(try bytes(of: [frame]) == [
            0, 0, 0, 13,                     // length: 11 header bytes + 2 body bytes
            0, 100,                          // type: broadcast
            1, 2, 3, 4, 5, 6, 7, 8,          // request id
            2,                               // kind: response
            0xAA, 0xBB,                      // body
        ])
        #expect(frame.encodedSize == 17)
    }

    @Test func encoderWritesWhatTheDecoderReads() throws {
        let channel = try makeChannel()
        for frame in sample { try channel.writeOutbound(frame) }
        var wire: [UInt8] = []
        while var out = try channel.readOutbound(as: ByteBuffer.self) { wire += out.readBytes(length: out.readableBytes) ?? [] }
        #expect(wire == (try bytes(of: sample)))
        try channel.writeInbound(buffer(wire))
        #expect(try readFrames(channel) == sample)
        #expect(try channel.finish().isClean)
    }

    @Test func bytesFedOneAtATime() throws {
        let channel = try makeChannel()
        let wire = try bytes(of: sample)
        var received: [Frame] = []
        for byte in wire {
            try channel.writeInbound(buffer([byte]))
            received += try readFrames(channel)
        }
        #expect(received == sample)
        #expect(try channel.finish().isClean)
    }

    @Test func severalFramesInOneBuffer() throws {
        let channel = try makeChannel()
        let many = (0..<50).map { Frame(type: .ping, requestID: UInt64($0), kind: .request, body: Array(repeating: UInt8($0), count: $0)) }
        try channel.writeInbound(buffer(try bytes(of: many)))
        #expect(try readFrames(channel) == many)
        #expect(try channel.finish().isClean)
    }

    @Test func framesSplitAtEveryBoundary() throws {
        let wire = try bytes(of: sample)
        for cut in 1..<wire.count {
            let channel = try makeChannel()
            try channel.writeInbound(buffer(wire[..<cut]))
            try channel.writeInbound(buffer(wire[cut...]))
            #expect(try readFrames(channel) == sample, "cut at \(cut)")
            _ = try channel.finish()
        }
    }

    @Test func emptyBodyAtMaximumAndBodyAtMaximum() throws {
        let channel = try makeChannel(maximum: 11 + 100)
        let largest = Frame(type: .ping, requestID: 1, kind: .request, body: Array(repeating: 7, count: 100))
        var buffer = ByteBufferAllocator().buffer(capacity: 128)
        try FrameEncoder.write(largest, to: &buffer, maximumFrameLength: 111)
        try channel.writeInbound(buffer)
        #expect(try readFrames(channel) == [largest])
        #expect(throws: WireError.outgoingFrameTooLarge(length: 112, maximum: 111)) {
            var out = ByteBufferAllocator().buffer(capacity: 128)
            let tooLarge = Frame(type: .ping, requestID: 1, kind: .request, body: Array(repeating: 7, count: 101))
            try FrameEncoder.write(tooLarge, to: &out, maximumFrameLength: 111)
        }
        _ = try channel.finish()
    }

    @Test func oversizedLengthFailsBeforeTheBodyArrives() throws {
        let channel = try makeChannel()
        // Claims 4 GiB - 1: the decoder must refuse it from the prefix alone.
        #expect(throws: WireError.frameTooLarge(length: 0xFFFF_FFFF, maximum: Self.maximum)) {
            try channel.writeInbound(buffer([0xFF, 0xFF, 0xFF, 0xFF]))
        }
        #expect(try readFrames(channel).isEmpty)
        _ = try? channel.finish()
    }

    @Test func oversizedByOneByte() throws {
        let channel = try makeChannel()
        #expect(throws: WireError.frameTooLarge(length: UInt32(Self.maximum + 1), maximum: Self.maximum)) {
            try channel.writeInbound(buffer([0, 0, 0x04, 0x01]))
        }
        _ = try? channel.finish()
    }

    @Test func lengthShorterThanHeader() throws {
        let channel = try makeChannel()
        #expect(throws: WireError.frameTooShort(length: 10)) {
            try channel.writeInbound(buffer([0, 0, 0, 10] + Array(repeating: 0, count: 10)))
        }
        _ = try? channel.finish()
    }

    @Test func unknownKindByte() throws {
        let channel = try makeChannel()
        var wire = try bytes(of: [Frame(type: .ping, requestID: 42, kind: .request)])
        wire[14] = 99
        #expect(throws: WireError.unknownFrameKind(99, requestID: 42)) { try channel.writeInbound(buffer(wire)) }
        _ = try? channel.finish()
    }

    @Test func unknownMessageTypeIsStillAFrame() throws {
        let channel = try makeChannel()
        let frame = Frame(typeCode: 999, requestID: 3, kind: .request, body: [1])
        try channel.writeInbound(buffer(try bytes(of: [frame])))
        let read = try readFrames(channel)
        #expect(read == [frame] && read.first?.messageType == nil)
        #expect(try channel.finish().isClean)
    }

    @Test func truncatedFrameAtEndOfStream() throws {
        let channel = try makeChannel()
        let wire = try bytes(of: [sample[0]])
        try channel.writeInbound(buffer(wire.dropLast(3)))
        #expect(try readFrames(channel).isEmpty)
        #expect(throws: WireError.truncatedFrame(expected: wire.count, received: wire.count - 3)) {
            try channel.finish()
        }
    }

    @Test func truncatedLengthPrefixAtEndOfStream() throws {
        let channel = try makeChannel()
        try channel.writeInbound(buffer([0, 0]))
        #expect(throws: WireError.truncatedFrame(expected: 4, received: 2)) { try channel.finish() }
    }

    @Test func wholeFramesBeforeATruncatedOneAreDelivered() throws {
        let channel = try makeChannel()
        let wire = try bytes(of: sample)
        try channel.writeInbound(buffer(wire.dropLast(1)))
        #expect(try readFrames(channel) == Array(sample.dropLast()))
        #expect(throws: WireError.self) { try channel.finish() }
    }

    /// 300 seeded runs of random bytes: each decodes into frames or fails with a `WireError`, never a trap
    /// or another error. (That a length claim is refused before anything is allocated for it is checked
    /// by `oversizedLengthFailsBeforeTheBodyArrives`.) A failure names the seed.
    @Test(arguments: [UInt64(0x6172_6261_6765)])
    func garbageNeverTrapsAndFailsOnlyWithAWireError(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        for _ in 0..<300 {
            let channel = try makeChannel()
            let garbage = (0..<Int.random(in: 1...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            do {
                try channel.writeInbound(buffer(garbage))
                _ = try readFrames(channel)
                _ = try channel.finish()
            } catch is WireError {
                // The expected outcome for most garbage: a named protocol violation.
            } catch let error as ByteToMessageDecoderError {
                Issue.record("decoder reported \(error) instead of a WireError (seed \(seed), input \(garbage))")
            }
        }
    }
}
