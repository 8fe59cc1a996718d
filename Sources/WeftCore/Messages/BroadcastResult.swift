/// The answer to a broadcast, the same everywhere: from an orderer's `broadcast` route, from the Raft
/// leader to a follower that forwarded the envelope (`forwardEnvelope`), from a peer gateway's
/// `gatewaySubmit`, and from an `OrderingNode` called in process. A status in Fabric's numbering and a
/// message saying why.
///
/// `success` means the envelope was accepted for ordering by the Raft leader; it is not a promise that
/// it will be in a block (a leader that fails before its block commits loses it; the client watches
/// for the commit event and resubmits). An envelope is never put in two blocks.
///
/// Canonical layout: `status` (u32, one of `BroadcastStatus`; any other number is a decoding error),
/// `message` (string).
public struct BroadcastResult: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    /// The status.
    public var status: BroadcastStatus
    /// What happened, for people: the reason of a refusal, or what accepted the envelope.
    public var message: String

    /// Creates an answer.
    public init(status: BroadcastStatus, message: String) {
        self.status = status
        self.message = message
    }

    /// The envelope was accepted for ordering by the Raft leader `node`.
    public static func accepted(by node: UInt64) -> BroadcastResult {
        BroadcastResult(status: .success, message: "accepted for ordering by leader \(node)")
    }

    /// The service cannot take the envelope now; the client may retry (elsewhere or later).
    public static func unavailable(_ reason: String) -> BroadcastResult {
        BroadcastResult(status: .serviceUnavailable, message: reason)
    }

    /// Whether the envelope was accepted for ordering.
    public var isSuccess: Bool { status == .success }

    public var description: String { "\(status): \(message)" }

    public func encode(to writer: inout ByteWriter) {
        writer.write(status.rawValue)
        writer.write(message)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let statusOffset = reader.offset
        let rawStatus = try reader.readUInt32()
        guard let status = BroadcastStatus(rawValue: rawStatus) else {
            throw .invalidValue(offset: statusOffset, "unknown broadcast status \(rawStatus)")
        }
        self.status = status
        message = try reader.readString()
    }
}
