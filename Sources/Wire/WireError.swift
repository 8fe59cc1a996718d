import WeftCore

/// Why bytes from the network are not a valid Weft frame or control message. Every case is a
/// protocol violation by the remote side; the receiver closes the connection.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The length prefix claims more than the configured maximum; nothing of that size is allocated.
    case frameTooLarge(length: UInt32, maximum: Int)
    /// The length prefix is smaller than the fixed frame header (type, request id, kind).
    case frameTooShort(length: UInt32)
    /// The kind byte is not one of `FrameKind`'s values.
    case unknownFrameKind(UInt8, requestID: UInt64)
    /// The kind byte's trace context flag is set but the field is malformed or not allowed.
    case malformedTraceContext(TraceContextFailure, requestID: UInt64)
    /// The connection ended in the middle of a frame.
    case truncatedFrame(expected: Int, received: Int)
    /// A frame to send is larger than the maximum the receiver accepts.
    case outgoingFrameTooLarge(length: Int, maximum: Int)
    /// A control message body is not the canonical encoding of its type.
    case malformedBody(MessageType, DecodingError)

    public var description: String {
        switch self {
        case let .frameTooLarge(length, maximum):
            "frame length \(length) exceeds the maximum of \(maximum) bytes"
        case let .frameTooShort(length):
            "frame length \(length) is shorter than the \(Frame.headerLength)-byte frame header"
        case let .unknownFrameKind(kind, requestID):
            "unknown frame kind \(kind) (request \(requestID))"
        case let .malformedTraceContext(failure, requestID):
            "malformed trace context (request \(requestID)): \(failure)"
        case let .truncatedFrame(expected, received):
            "connection closed inside a frame: \(received) of \(expected) bytes received"
        case let .outgoingFrameTooLarge(length, maximum):
            "frame of \(length) bytes exceeds the maximum of \(maximum) bytes and was not sent"
        case let .malformedBody(type, error):
            "malformed \(type) body: \(error)"
        }
    }
}
