/// One unit of Weft's TCP protocol.
///
/// On the wire (all integers big-endian, see `docs/wire.md`):
///
/// ```
/// u32 length      bytes that follow this field: 11 + body.count
/// u16 type        the message type (`MessageType`), kept raw so an unknown type can be answered
/// u64 requestID   chosen by the caller; every frame of one call carries its id
/// u8  kind        request / response / stream item / stream end / error / cancel / credit / stream request;
///                 high bit set (`FrameKind.traceContextFlag`): a trace context follows
/// [u16 + entries] the trace context (`TraceContext`), only on a request or stream request that has one
/// ... body        the message, in WeftCore's canonical encoding
/// ```
public struct Frame: Hashable, Sendable, CustomStringConvertible {
    /// Bytes of the fields after the length prefix and before the body: type, request id, kind.
    public static let headerLength = 11
    /// Bytes of the length prefix.
    public static let lengthPrefixLength = 4

    /// The raw message type number; `messageType` interprets it.
    public var typeCode: UInt16
    /// The id that ties the frames of one call together; 0 is used by the handshake and by
    /// connection-level errors.
    public var requestID: UInt64
    /// What this frame is within its call.
    public var kind: FrameKind
    /// The message bytes.
    public var body: [UInt8]
    /// The caller's trace context, on a request or stream request of a traced call; nil otherwise,
    /// and then the frame's bytes are exactly those of a build without tracing.
    public var traceContext: TraceContext?

    /// Creates a frame with a raw type number (used to answer frames of a type this build does not know).
    public init(typeCode: UInt16, requestID: UInt64, kind: FrameKind, body: [UInt8] = [], traceContext: TraceContext? = nil) {
        self.typeCode = typeCode
        self.requestID = requestID
        self.kind = kind
        self.body = body
        self.traceContext = traceContext
    }

    /// Creates a frame of a known message type.
    public init(type: MessageType, requestID: UInt64, kind: FrameKind, body: [UInt8] = [], traceContext: TraceContext? = nil) {
        self.init(typeCode: type.rawValue, requestID: requestID, kind: kind, body: body, traceContext: traceContext)
    }

    /// The message type, or nil when `typeCode` is not in this build's table.
    public var messageType: MessageType? { MessageType(rawValue: typeCode) }

    /// The value of the length prefix for this frame.
    public var lengthFieldValue: Int { Self.headerLength + traceContextFieldLength + body.count }

    /// Bytes of the trace context field (its `u16` length and entries); 0 without one.
    public var traceContextFieldLength: Int { traceContext.map { 2 + $0.encodedLength } ?? 0 }

    /// The frame's total size on the wire, length prefix included.
    public var encodedSize: Int { Self.lengthPrefixLength + lengthFieldValue }

    public var description: String {
        let name = messageType.map { "\($0)" } ?? "unknown"
        let traced = traceContext == nil ? "" : ", traced"
        return "Frame(\(name)/\(typeCode), request \(requestID), \(kind), \(body.count) body bytes\(traced))"
    }
}

/// The role of a frame within a call (the `kind` byte).
public enum FrameKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Caller → callee: starts a call. For the handshake, each handshake message travels as a request.
    case request = 1
    /// Callee → caller: the single answer to a unary call.
    case response = 2
    /// Callee → caller: one item of a server stream.
    case streamItem = 3
    /// Callee → caller: the stream finished normally (empty body).
    case streamEnd = 4
    /// Callee → caller: the call failed; the body is an `ErrorBody`. With request id 0 it concerns
    /// the whole connection, which the sender then closes.
    case error = 5
    /// Caller → callee: stop working on this call (empty body); nothing more is sent for it.
    case cancel = 6
    /// Caller → callee: the caller may receive `u32` more bytes of stream items for this call.
    case credit = 7
    /// Caller → callee: starts a server-streaming call. The callee sends stream items only while the
    /// caller has granted credit (credit frames), then a stream end or an error.
    case streamRequest = 8

    /// The kind byte's high bit: a trace context field follows the kind byte. Set only on a request or
    /// a stream request (a build without tracing never sets it).
    public static let traceContextFlag: UInt8 = 0x80

    /// Whether a frame of this kind may carry a trace context.
    public var carriesTraceContext: Bool { self == .request || self == .streamRequest }

    public var description: String {
        switch self {
        case .request: "request"
        case .response: "response"
        case .streamItem: "stream item"
        case .streamEnd: "stream end"
        case .error: "error"
        case .cancel: "cancel"
        case .credit: "credit"
        case .streamRequest: "stream request"
        }
    }
}
