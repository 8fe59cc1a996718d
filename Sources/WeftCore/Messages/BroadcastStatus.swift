/// The status a broadcast answer carries, with Hyperledger Fabric's numbers (HTTP-like). The raw value
/// is the number on the wire (u32, `BroadcastResult`).
///
/// The set is closed: a number outside it does not decode (`BroadcastResult`), so a new status is a
/// change of the wire protocol, made with a new protocol version, never a value an older node meets.
public enum BroadcastStatus: UInt32, Hashable, Sendable, CustomStringConvertible {
    case success = 200
    case badRequest = 400
    case forbidden = 403
    case notFound = 404
    case requestEntityTooLarge = 413
    case internalServerError = 500
    case serviceUnavailable = 503

    /// Fabric's upper-snake-case name, e.g. `REQUEST_ENTITY_TOO_LARGE`.
    public var name: String {
        switch self {
        case .success: "SUCCESS"
        case .badRequest: "BAD_REQUEST"
        case .forbidden: "FORBIDDEN"
        case .notFound: "NOT_FOUND"
        case .requestEntityTooLarge: "REQUEST_ENTITY_TOO_LARGE"
        case .internalServerError: "INTERNAL_SERVER_ERROR"
        case .serviceUnavailable: "SERVICE_UNAVAILABLE"
        }
    }

    public var description: String { "\(rawValue) \(name)" }
}
