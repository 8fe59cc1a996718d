

/// Asks an orderer to stream blocks from `start` on (`deliver`), or a peer to stream commit events from
/// block `start` on (`commitEvents`).
///
/// Canonical layout: `start` (u64).
public struct StreamStart: Hashable, Sendable, CanonicalCodable {
    public var start: UInt64

    public init(start: UInt64) { self.start = start }

    public func encode(to writer: inout ByteWriter) { writer.write(start) }

    public init(from reader: inout ByteReader) throws(DecodingError) { start = try reader.readUInt64() }
}
