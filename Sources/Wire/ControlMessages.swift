import WeftCore

/// The body of an `error` frame: a numeric code (see `RPCError.Code` in WeftRPC and `docs/wire.md`)
/// and a message meant for a human. Layout: `code: u16`, `message: string`.
public struct ErrorBody: Hashable, Sendable, CanonicalCodable {
    /// The error's code (`RPCError.Code`'s raw value).
    public var code: UInt16
    /// What went wrong, for a human.
    public var message: String

    /// Creates an error body.
    public init(code: UInt16, message: String) {
        self.code = code
        self.message = message
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(code)
        writer.write(message)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        code = try reader.readUInt16()
        message = try reader.readString()
    }
}

/// The body of a `credit` frame: how many more bytes of stream items the caller will accept for the
/// call. Layout: `bytes: u32`.
public struct StreamCredit: Hashable, Sendable, CanonicalCodable {
    /// Additional bytes of stream items the caller accepts.
    public var bytes: UInt32

    /// Creates a credit grant.
    public init(bytes: UInt32) { self.bytes = bytes }

    public func encode(to writer: inout ByteWriter) { writer.write(bytes) }

    public init(from reader: inout ByteReader) throws(DecodingError) { bytes = try reader.readUInt32() }
}
