import NIOCore

/// Writes `Frame`s as length-prefixed bytes (layout in `Frame` and `docs/wire.md`).
///
/// A frame whose length prefix would exceed `maximumFrameLength` is refused with
/// `WireError.outgoingFrameTooLarge` (the write fails and nothing is sent), because the receiver
/// would reject it and close the connection. So is a trace context the decoder would refuse (on a
/// kind other than a request, or with keys or values that are not printable ASCII). Use it wrapped: `MessageToByteHandler(FrameEncoder(...))`.
public struct FrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = Frame

    /// The largest length prefix this encoder writes.
    public let maximumFrameLength: Int

    /// Creates an encoder that refuses frames whose length prefix would exceed `maximumFrameLength`.
    public init(maximumFrameLength: Int) {
        self.maximumFrameLength = maximumFrameLength
    }

    public func encode(data frame: Frame, out: inout ByteBuffer) throws {
        try Self.write(frame, to: &out, maximumFrameLength: maximumFrameLength)
    }

    /// Appends `frame`'s wire bytes to `buffer`.
    public static func write(_ frame: Frame, to buffer: inout ByteBuffer, maximumFrameLength: Int) throws(WireError) {
        let length = frame.lengthFieldValue
        guard length <= maximumFrameLength, length <= Int(UInt32.max) else {
            throw .outgoingFrameTooLarge(length: length, maximum: maximumFrameLength)
        }
        buffer.reserveCapacity(minimumWritableBytes: frame.encodedSize)
        buffer.writeInteger(UInt32(length), endianness: .big)
        buffer.writeInteger(frame.typeCode, endianness: .big)
        buffer.writeInteger(frame.requestID, endianness: .big)
        if let context = frame.traceContext {
            guard frame.kind.carriesTraceContext else {
                throw .malformedTraceContext(.notARequest(frame.kind), requestID: frame.requestID)
            }
            guard context.isEncodable else {
                throw .malformedTraceContext(.tooLong(context.encodedLength), requestID: frame.requestID)
            }
            buffer.writeInteger(frame.kind.rawValue | FrameKind.traceContextFlag)
            var field: [UInt8] = []
            field.reserveCapacity(context.encodedLength)
            context.encodeEntries(into: &field)
            buffer.writeInteger(UInt16(field.count), endianness: .big)
            buffer.writeBytes(field)
        } else {
            buffer.writeInteger(frame.kind.rawValue)
        }
        buffer.writeBytes(frame.body)
    }
}
