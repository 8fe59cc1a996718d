import NIOCore

/// Cuts an inbound byte stream into `Frame`s.
///
/// A two-state machine in the manner of swift-nio-extras' `LengthFieldBasedFrameDecoder`: it waits
/// for the 4-byte length, checks it against `maximumFrameLength` *before* waiting for (or allocating)
/// the rest, then waits for the whole frame. An oversized or undersized length, an unknown kind
/// byte, or a connection that ends inside a frame throws a `WireError`; the channel handler that
/// sees it logs it and closes the connection. Use it wrapped: `ByteToMessageHandler(FrameDecoder(...))`.
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
        // The three reads cannot fail: `length` >= headerLength bytes are readable.
        let typeCode = buffer.readInteger(endianness: .big, as: UInt16.self) ?? 0
        let requestID = buffer.readInteger(endianness: .big, as: UInt64.self) ?? 0
        let kindByte = buffer.readInteger(as: UInt8.self) ?? 0
        let body = buffer.readBytes(length: length - Frame.headerLength) ?? []
        guard let kind = FrameKind(rawValue: kindByte) else {
            throw .unknownFrameKind(kindByte, requestID: requestID)
        }
        return Frame(typeCode: typeCode, requestID: requestID, kind: kind, body: body)
    }
}
