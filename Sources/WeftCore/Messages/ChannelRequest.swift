/// A request addressed to one channel of a node: every channel-scoped call (`endorse`, `evaluate`,
/// `ledgerQuery`, `commitEvents`, `broadcast`, `deliver`, `ordererStatus`, and the orderer-to-orderer
/// messages) carries its body inside one, so one connection between two nodes serves all their channels.
///
/// Canonical layout: `channel` (string), `body` (bytes: the call's own request body).
public struct ChannelRequest: Hashable, Sendable, CanonicalCodable {
    /// The channel's name.
    public var channel: String
    /// The request body the call defines (e.g. a `SignedProposal`, a `StreamStart`).
    public var body: [UInt8]

    public init(channel: String, body: [UInt8]) {
        self.channel = channel
        self.body = body
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(channel)
        writer.write(lengthPrefixed: body)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        channel = try reader.readString()
        body = try reader.readLengthPrefixed()
    }
}
