import WeftCore

/// The answer to a broadcast: a status with Fabric's numbers and a message saying why.
///
/// Canonical layout (for the transport): `status` (u16, one of `BroadcastStatus`), `message` (string).
///
/// `success` means the envelope was accepted for ordering by the Raft leader; it is not a promise that
/// it will be in a block (a leader that fails before its block commits loses it; the client watches
/// for the commit event and resubmits). An envelope is never put in two blocks.
public struct BroadcastResponse: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    /// The status.
    public var status: BroadcastStatus
    /// What happened, for people: the reason of a refusal, or what accepted the envelope.
    public var message: String

    /// Creates a response.
    public init(status: BroadcastStatus, message: String) {
        self.status = status
        self.message = message
    }

    /// The envelope was accepted for ordering.
    public static func accepted(by node: UInt64) -> BroadcastResponse {
        BroadcastResponse(status: .success, message: "accepted for ordering by leader \(node)")
    }

    /// The service cannot take the envelope now; the client may retry (elsewhere or later).
    public static func unavailable(_ reason: String) -> BroadcastResponse {
        BroadcastResponse(status: .serviceUnavailable, message: reason)
    }

    public var description: String { "\(status): \(message)" }

    public func encode(to writer: inout ByteWriter) {
        writer.write(status.rawValue)
        writer.write(message)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let statusOffset = reader.offset
        let rawStatus = try reader.readUInt16()
        guard let status = BroadcastStatus(rawValue: rawStatus) else {
            throw .invalidValue(offset: statusOffset, "unknown broadcast status \(rawStatus)")
        }
        self.status = status
        message = try reader.readString()
    }
}

/// Why the broadcast checks refused an envelope: the status to answer with and the precise reason.
public struct BroadcastRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// The status of the answer.
    public var status: BroadcastStatus
    /// The reason, naming what was wrong.
    public var reason: String

    /// Creates a rejection.
    public init(_ status: BroadcastStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    /// The answer to send.
    public var response: BroadcastResponse { BroadcastResponse(status: status, message: reason) }

    public var description: String { "\(status): \(reason)" }
}
