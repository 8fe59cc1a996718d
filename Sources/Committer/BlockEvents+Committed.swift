import WeftCore
import WeftCrypto

extension BlockEvents {
    /// The events of a block read back from the ledger (its metadata holds the validation flags).
    init(committed block: Block) {
        let flags = block.metadata.validationFlags
        self.init(
            blockNumber: block.number,
            transactions: block.data.enumerated().map { index, bytes in
                let code = index < flags.count ? flags[index] : .notValidated
                let decoded = DecodedEnvelope(bytes)
                return .init(txID: decoded?.txID ?? "", txNumber: UInt32(index), code: code,
                             chaincodeEvent: code.isValid ? decoded?.payload?.event : nil)
            },
            commitHash: block.metadata.commitHash)
    }
}

/// The parts of an envelope that events need, decoded without checks. A configuration entry has the
/// id the committer gave it (hex SHA-256 of its configuration bytes) and no payload.
struct DecodedEnvelope {
    var txID: String
    var payload: ProposalResponsePayload?

    init?(_ bytes: [UInt8]) {
        if ConfigTransaction.isEntry(bytes) {
            guard let entry = try? ConfigTransaction(canonicalBytes: bytes) else { return nil }
            txID = entry.txID
            payload = nil
            return
        }
        guard let envelope = try? Envelope(canonicalBytes: bytes), let transaction = try? envelope.transaction(),
              let proposal = try? transaction.signedProposal.proposal()
        else { return nil }
        txID = proposal.header.txID
        payload = try? ProposalResponsePayload(canonicalBytes: transaction.responsePayloadBytes)
    }
}
