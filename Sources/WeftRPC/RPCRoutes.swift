import Wire

/// Answers one unary call: the request body and the authenticated caller in, the response body out.
/// Runs in a Swift concurrency task, never on an event loop; it may block on I/O through `await`.
public typealias UnaryHandler = @Sendable (_ request: [UInt8], _ caller: Caller) async throws -> [UInt8]

/// Serves one server-streaming call: sends items through `writer` and returns to end the stream
/// (throwing ends it with an error frame). `writer.send` suspends while the caller is slow, and
/// throws once the caller cancelled or the connection closed; the task is cancelled too.
public typealias StreamHandler = @Sendable (_ request: [UInt8], _ caller: Caller, _ writer: RPCStreamWriter) async throws -> Void

/// The handlers a server dispatches to, by message type, each with the callers it admits.
///
/// Built before the server starts and immutable afterwards. `ping` is answered by default (echoes
/// its body to any member) unless a handler is registered for it.
public struct RPCRoutes: Sendable {
    /// How one message type is served.
    enum Route: Sendable {
        case unary(UnaryHandler)
        case stream(StreamHandler)
    }

    /// A registered handler and the callers it admits.
    struct Entry: Sendable {
        let route: Route
        let allowed: AllowedCallers
    }

    private(set) var entries: [UInt16: Entry] = [:]

    /// An empty table (plus the default `ping`).
    public init() {
        entries[MessageType.ping.rawValue] = Entry(route: .unary { body, _ in body }, allowed: .anyMember)
    }

    /// Registers a unary handler for `type`, replacing any earlier one.
    public mutating func unary(_ type: MessageType, allowed: AllowedCallers, _ handler: @escaping UnaryHandler) {
        entries[type.rawValue] = Entry(route: .unary(handler), allowed: allowed)
    }

    /// Registers a server-streaming handler for `type`, replacing any earlier one.
    public mutating func serverStream(_ type: MessageType, allowed: AllowedCallers, _ handler: @escaping StreamHandler) {
        entries[type.rawValue] = Entry(route: .stream(handler), allowed: allowed)
    }

    /// The message types with a handler.
    public var registeredTypes: [MessageType] {
        entries.keys.sorted().compactMap(MessageType.init(rawValue:))
    }

    func entry(for typeCode: UInt16) -> Entry? { entries[typeCode] }

    /// Runs a unary handler; a thrown error becomes the call's `RPCError`.
    static func invoke(_ handler: UnaryHandler, _ body: [UInt8], _ caller: Caller) async -> Result<[UInt8], RPCError> {
        do {
            return .success(try await handler(body, caller))
        } catch {
            return .failure(RPCError.from(handlerError: error))
        }
    }
}
