import WeftCore

/// The answer to a peer gateway's `gatewayEndorse` (docs/wire.md): one endorsed response from a peer
/// of each organization the gateway asked, the gateway's own first. Their payloads are identical
/// (the gateway checked): the client signs an envelope over them and hands it to `gatewaySubmit`.
///
/// Canonical layout: `responses` (list of `ProposalResponse`).
public struct EndorsementResponses: Hashable, Sendable, CanonicalCodable {
    public var responses: [ProposalResponse]

    public init(_ responses: [ProposalResponse]) { self.responses = responses }

    public func encode(to writer: inout ByteWriter) { writer.write(responses) }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        responses = try reader.field("responses") { reader throws(DecodingError) in
            try reader.readArray(of: ProposalResponse.self, minimumElementSize: 12)
        }
    }
}
