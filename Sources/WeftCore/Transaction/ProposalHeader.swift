/// Who proposes what, where and when: the header every proposal and transaction carries.
///
/// Canonical layout: `channelID` (string), `txID` (string), `creator` (SerializedIdentity),
/// `nonce` (bytes), `timestamp` (i64, milliseconds since the Unix epoch, chosen by the client).
/// `txID` must equal `hex(SHA-256(nonce ‖ canonicalBytes(creator)))`; endorsers and committers check it.
public struct ProposalHeader: Hashable, Sendable, CanonicalCodable {
    /// The channel the transaction is for.
    public var channelID: String
    /// The transaction id: lower-case hex of SHA-256(nonce ‖ creator).
    public var txID: String
    /// The submitting client.
    public var creator: SerializedIdentity
    /// 24 random bytes chosen by the client.
    public var nonce: [UInt8]
    /// The client's clock in milliseconds since the Unix epoch; chaincode sees it as the deterministic
    /// transaction timestamp.
    public var timestamp: Int64

    /// Creates a header.
    public init(channelID: String, txID: String, creator: SerializedIdentity, nonce: [UInt8], timestamp: Int64) {
        self.channelID = channelID
        self.txID = txID
        self.creator = creator
        self.nonce = nonce
        self.timestamp = timestamp
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(channelID)
        writer.write(txID)
        writer.write(creator)
        writer.write(lengthPrefixed: nonce)
        writer.write(timestamp)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        channelID = try reader.readString()
        txID = try reader.readString()
        creator = try reader.read()
        nonce = try reader.readLengthPrefixed()
        timestamp = try reader.readInt64()
    }
}
