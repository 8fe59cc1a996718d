/// An orderer's answer to a broadcast envelope, as it travels on the wire: a status in Fabric's numbering (200 success, 400 bad
/// request, 403 forbidden, 413 too large, 503 service unavailable, …) and a message saying why.
///
/// Canonical layout: `status` (u32), `message` (string).
public struct BroadcastResult: Hashable, Sendable, CanonicalCodable {
    public var status: UInt32
    public var message: String

    public init(status: UInt32, message: String = "") {
        self.status = status
        self.message = message
    }

    /// Whether the envelope was accepted for ordering.
    public var isSuccess: Bool { status == 200 }

    public func encode(to writer: inout ByteWriter) {
        writer.write(status)
        writer.write(message)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        status = try reader.readUInt32()
        message = try reader.readString()
    }
}
