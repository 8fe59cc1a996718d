import NIOCore

/// Cuts an inbound byte stream into `Frame`s.
///
/// A two-state machine in the manner of swift-nio-extras' `LengthFieldBasedFrameDecoder`: it waits
/// for the 4-byte length, checks it against `maximumFrameLength` *before* waiting for (or allocating)
/// the rest, then waits for the whole frame. An oversized or undersized length, an unknown kind
/// byte, a malformed trace context (`TraceContext`), or a connection that ends inside a frame throws
/// a `WireError`; the channel handler that sees it logs it and closes the connection. Use it wrapped: `ByteToMessageHandler(FrameDecoder(...))`.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = Frame

    /// Where the decoder is within the current frame.
    enum ReadState: Equatable {
        /// Waiting for the 4-byte length prefix.
        case waitingForHeader
        /// The length prefix (already checked) has been read; waiting for that many bytes.
        case waitingForFrame(length: Int)
    }

    /// The largest length prefix accepted (header and body, without the prefix itself).
    public let maximumFrameLength: Int
    private(set) var state: ReadState = .waitingForHeader

    /// Creates a decoder that rejects frames whose length prefix exceeds `maximumFrameLength`.
    public init(maximumFrameLength: Int) {
        self.maximumFrameLength = maximumFrameLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try nextFrame(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        if let frame = try nextFrame(from: &buffer) {
            context.fireChannelRead(wrapInboundOut(frame))
            return .continue
        }
        switch state {
        case .waitingForHeader where buffer.readableBytes == 0:
            return .needMoreData
        case .waitingForHeader:
            let received = buffer.readableBytes
            buffer.moveReaderIndex(forwardBy: received)
            throw WireError.truncatedFrame(expected: Frame.lengthPrefixLength, received: received)
        case .waitingForFrame(let length):
            let received = buffer.readableBytes
            buffer.moveReaderIndex(forwardBy: received)
            state = .waitingForHeader
            throw WireError.truncatedFrame(
                expected: Frame.lengthPrefixLength + length, received: Frame.lengthPrefixLength + received
            )
        }
    }

    /// Consumes one whole frame from `buffer` if it is there, advancing the state machine.
    mutating func nextFrame(from buffer: inout ByteBuffer) throws(WireError) -> Frame? {
        if case .waitingForHeader = state {
            guard let length = buffer.readInteger(endianness: .big, as: UInt32.self) else { return nil }
            guard Int(length) <= maximumFrameLength else {
                throw .frameTooLarge(length: length, maximum: maximumFrameLength)
            }
            guard Int(length) >= Frame.headerLength else { throw .frameTooShort(length: length) }
            state = .waitingForFrame(length: Int(length))
        }
        guard case .waitingForFrame(let length) = state, buffer.readableBytes >= length else { return nil }
        state = .waitingForHeader
        // The reads of the fixed header cannot fail: `length` >= headerLength bytes are readable.
        let typeCode = buffer.readInteger(endianness: .big, as: UInt16.self) ?? 0
        let requestID = buffer.readInteger(endianness: .big, as: UInt64.self) ?? 0
        let kindByte = buffer.readInteger(as: UInt8.self) ?? 0
        var rest = buffer.readSlice(length: length - Frame.headerLength) ?? ByteBuffer()
        guard let kind = FrameKind(rawValue: kindByte & ~FrameKind.traceContextFlag) else {
            throw .unknownFrameKind(kindByte, requestID: requestID)
        }
        var traceContext: TraceContext?
        if kindByte & FrameKind.traceContextFlag != 0 {
            traceContext = try Self.traceContext(from: &rest, kind: kind, requestID: requestID)
        }
        let body = rest.readBytes(length: rest.readableBytes) ?? []
        return Frame(typeCode: typeCode, requestID: requestID, kind: kind, body: body, traceContext: traceContext)
    }

    /// Reads the trace context field at the start of a frame's remaining bytes (after a flagged kind).
    static func traceContext(from rest: inout ByteBuffer, kind: FrameKind, requestID: UInt64) throws(WireError) -> TraceContext {
        guard kind.carriesTraceContext else { throw .malformedTraceContext(.notARequest(kind), requestID: requestID) }
        guard let length = rest.readInteger(endianness: .big, as: UInt16.self) else {
            throw .malformedTraceContext(.truncatedEntry, requestID: requestID)
        }
        guard Int(length) <= TraceContext.maximumLength, let field = rest.readBytes(length: Int(length)) else {
            throw .malformedTraceContext(.tooLong(Int(length)), requestID: requestID)
        }
        do {
            return try TraceContext(decoding: field[...])
        } catch {
            throw .malformedTraceContext(error, requestID: requestID)
        }
    }
}
