import NIOHTTP1

/// A complete request to the operations endpoint, as the router sees it.
public struct OperationsRequest: Sendable {
    /// The HTTP method.
    public var method: HTTPMethod
    /// The request target as sent, e.g. `/healthz` or `/metrics?x=1`.
    public var uri: String
    /// The request body (empty for GET).
    public var body: [UInt8]

    /// A request.
    public init(method: HTTPMethod, uri: String, body: [UInt8] = []) {
        self.method = method
        self.uri = uri
        self.body = body
    }

    /// The path without query string or fragment.
    public var path: String {
        String(uri.prefix { $0 != "?" && $0 != "#" })
    }
}

/// A complete response from the operations endpoint.
public struct OperationsResponse: Sendable, Equatable {
    /// The status.
    public var status: HTTPResponseStatus
    /// The `Content-Type`, or nil for an empty body.
    public var contentType: String?
    /// Further headers (e.g. `Allow` on 405).
    public var headers: [(String, String)]
    /// The body bytes.
    public var body: [UInt8]

    /// A response.
    public init(status: HTTPResponseStatus, contentType: String? = nil, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// A JSON response with `body` already encoded.
    static func json(_ status: HTTPResponseStatus, _ body: [UInt8]) -> OperationsResponse {
        OperationsResponse(status: status, contentType: "application/json", body: body)
    }

    /// A JSON error document `{"error": message}`.
    static func error(_ status: HTTPResponseStatus, _ message: String) -> OperationsResponse {
        json(status, Array("{\"error\":\(LogLineFormatter.jsonString(message))}".utf8))
    }

    public static func == (lhs: OperationsResponse, rhs: OperationsResponse) -> Bool {
        lhs.status == rhs.status && lhs.contentType == rhs.contentType && lhs.body == rhs.body
            && lhs.headers.map(\.0) == rhs.headers.map(\.0) && lhs.headers.map(\.1) == rhs.headers.map(\.1)
    }
}
