/// The one entry of a configuration block: the channel's configuration and the signatures of the
/// administrators who approved it (for a genesis block, those who created the channel; none is
/// required — joining with the block is the operator's approval).
///
/// Canonical layout: `tag` (string, `weft.channel.config`), `config` (bytes: a `ChannelConfig`),
/// `signatures` (list<BlockSignature>: each over the config bytes). The tag keeps a configuration
/// entry from ever decoding as a transaction envelope, and the reverse.
public struct ConfigTransaction: Hashable, Sendable, CanonicalCodable {
    /// The first field of every configuration entry.
    public static let tag = "weft.channel.config"

    /// The configuration as it was signed.
    public var configBytes: [UInt8]
    /// Administrators' signatures over `configBytes`.
    public var signatures: [BlockSignature]

    /// An entry over already encoded configuration bytes.
    public init(configBytes: [UInt8], signatures: [BlockSignature]) {
        self.configBytes = configBytes
        self.signatures = signatures
    }

    /// The tag as it opens every encoded entry (its length prefix, then its bytes).
    private static let encodedTag: [UInt8] = {
        var writer = ByteWriter()
        writer.write(tag)
        return writer.bytes
    }()

    /// Whether `bytes` open with the configuration tag: a block entry to handle as a configuration
    /// (update), not as a transaction envelope. Does not decode the rest.
    public static func isEntry(_ bytes: [UInt8]) -> Bool { bytes.starts(with: encodedTag) }

    /// The configuration, decoded.
    public func config() throws(DecodingError) -> ChannelConfig { try ChannelConfig(canonicalBytes: configBytes) }

    public func encode(to writer: inout ByteWriter) {
        writer.write(Self.tag)
        writer.write(lengthPrefixed: configBytes)
        writer.write(signatures)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let start = reader.offset
        let tag = try reader.readString()
        guard tag == Self.tag else { throw .invalidValue(offset: start, "not a configuration entry (tag '\(tag.prefix(32))')") }
        configBytes = try reader.field("config") { reader throws(DecodingError) in try reader.readLengthPrefixed() }
        signatures = try reader.field("signatures") { reader throws(DecodingError) in try reader.readArray(minimumElementSize: 8) }
    }
}

extension Block {
    /// The configuration entry of a configuration block — a block whose only entry opens with the
    /// configuration tag (docs/governance.md) — or nil for any other block. Does not decode it.
    public var configurationEntry: [UInt8]? {
        data.count == 1 && ConfigTransaction.isEntry(data[0]) ? data[0] : nil
    }
}
