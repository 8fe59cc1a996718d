#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftCrypto

/// Builds what a client sends: signed proposals for endorsers, and the signed envelope for the orderers
/// once enough endorsements are in.
public struct TransactionBuilder: Sendable {
    /// The submitting client's identity.
    public let identity: SigningIdentity
    /// The channel the transactions are for.
    public let channelID: String

    public init(identity: SigningIdentity, channelID: String) {
        self.identity = identity
        self.channelID = channelID
    }

    /// A proposal signed by the client, with a fresh 24-byte nonce, the txID derived from it, and the
    /// client's clock as the transaction timestamp.
    public func proposal(
        chaincode: String, function: String, arguments: [[UInt8]], timestamp: Date = Date()
    ) throws -> SignedProposal {
        let nonce = try SecureRandom.bytes(count: 24)
        let creator = identity.serialized
        let header = ProposalHeader(
            channelID: channelID, txID: TransactionID.compute(nonce: nonce, creator: creator), creator: creator,
            nonce: nonce, timestamp: Int64((timestamp.timeIntervalSince1970 * 1000).rounded()))
        let bytes = Proposal(header: header, chaincode: chaincode, function: function, arguments: arguments).canonicalBytes
        return SignedProposal(proposalBytes: bytes, signature: try identity.signature(for: bytes))
    }

    /// A proposal with text arguments (UTF-8).
    public func proposal(chaincode: String, function: String, _ arguments: [String], timestamp: Date = Date()) throws -> SignedProposal {
        try proposal(chaincode: chaincode, function: function, arguments: arguments.map { Array($0.utf8) }, timestamp: timestamp)
    }

    /// Assembles the envelope from endorsers' responses: every response must be an endorsement over the
    /// same payload bytes; otherwise this throws `EndorsementError` saying which response differs.
    public func envelope(for proposal: SignedProposal, responses: [ProposalResponse]) throws -> Envelope {
        guard let first = responses.first else { throw EndorsementError.noResponses }
        var endorsements: [Endorsement] = []
        for (index, response) in responses.enumerated() {
            guard response.status == ChaincodeResponse.okStatus, let endorsement = response.endorsement else {
                throw EndorsementError.refused(index: index, status: response.status, message: response.message)
            }
            guard response.payloadBytes == first.payloadBytes else { throw EndorsementError.mismatchedPayloads(index: index) }
            endorsements.append(endorsement)
        }
        let transaction = Transaction(signedProposal: proposal, responsePayloadBytes: first.payloadBytes, endorsements: endorsements)
        let payload = transaction.canonicalBytes
        return Envelope(payload: payload, signature: try identity.signature(for: payload))
    }
}

/// Why endorsements could not be assembled into a transaction.
public enum EndorsementError: Error, Equatable, Sendable, CustomStringConvertible {
    case noResponses
    case refused(index: Int, status: UInt32, message: String)
    case mismatchedPayloads(index: Int)

    public var description: String {
        switch self {
        case .noResponses: "no endorsements were collected"
        case let .refused(index, status, message): "endorser \(index + 1) did not endorse (status \(status)): \(message)"
        case .mismatchedPayloads(let index):
            "endorser \(index + 1) returned a different result than endorser 1 (non-deterministic chaincode or diverged state)"
        }
    }
}
