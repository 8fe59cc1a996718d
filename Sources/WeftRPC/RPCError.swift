import WeftCore
import Wire

/// Every failure of the RPC layer, on either side of a connection: a code a program can switch on and
/// a message that tells a human what happened and, where possible, what to do.
///
/// Handlers may throw an `RPCError` to choose the code the caller sees; any other error a handler
/// throws reaches the caller as `.handlerFailed` with the error's description. Errors travel in
/// `error` frames as an `ErrorBody` (`code: u16`, `message: string`).
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A numeric error code; numbers are stable once released (table in `docs/wire.md`).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The request body could not be decoded or is not acceptable.
        public static let badRequest = Code(rawValue: 1)
        /// The server has no handler for the message type.
        public static let unknownMessageType = Code(rawValue: 2)
        /// The handshake failed: bad signature, unknown identity, malformed proof, or a request
        /// before the handshake completed. The connection is closed.
        public static let unauthenticated = Code(rawValue: 3)
        /// The caller is authenticated but its role may not send this message type. The connection
        /// stays open.
        public static let permissionDenied = Code(rawValue: 4)
        /// The handler threw an error that is not an `RPCError`.
        public static let handlerFailed = Code(rawValue: 5)
        /// A frame exceeded the maximum frame size.
        public static let frameTooLarge = Code(rawValue: 6)
        /// The remote side broke the protocol (bad frame, unexpected kind, malformed control body).
        public static let protocolViolation = Code(rawValue: 7)
        /// The call did not complete within its timeout.
        public static let deadlineExceeded = Code(rawValue: 8)
        /// The call was cancelled by the caller.
        public static let cancelled = Code(rawValue: 9)
        /// The connection could not be made, was closed, or the server is shutting down.
        public static let unavailable = Code(rawValue: 10)
        /// Something failed inside the RPC layer itself.
        public static let `internal` = Code(rawValue: 11)
        /// The server is busy and refused the call.
        public static let resourceExhausted = Code(rawValue: 12)

        public var description: String {
            switch self {
            case .badRequest: "bad request"
            case .unknownMessageType: "unknown message type"
            case .unauthenticated: "unauthenticated"
            case .permissionDenied: "permission denied"
            case .handlerFailed: "handler failed"
            case .frameTooLarge: "frame too large"
            case .protocolViolation: "protocol violation"
            case .deadlineExceeded: "deadline exceeded"
            case .cancelled: "cancelled"
            case .unavailable: "unavailable"
            case .internal: "internal error"
            case .resourceExhausted: "resource exhausted"
            default: "error \(rawValue)"
            }
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What happened, for a human.
    public var message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// The error as it travels in an `error` frame.
    public var body: ErrorBody { ErrorBody(code: code.rawValue, message: message) }

    /// Reads the error carried by an `error` frame's body; a malformed body is itself reported as a
    /// protocol violation rather than lost.
    public init(errorFrameBody bytes: [UInt8]) {
        do {
            let body = try ErrorBody(canonicalBytes: bytes)
            self.init(Code(rawValue: body.code), body.message)
        } catch {
            self.init(.protocolViolation, "malformed error frame body: \(error)")
        }
    }

    /// The `RPCError` a handler's thrown error becomes on the wire.
    static func from(handlerError error: any Error) -> RPCError {
        if let rpcError = error as? RPCError { return rpcError }
        if error is CancellationError { return RPCError(.cancelled, "the call was cancelled") }
        return RPCError(.handlerFailed, String(describing: error))
    }
}
