import WeftCore
import WeftCrypto

/// Proof that a transaction's envelope is leaf `txNumber` of its block's Merkle tree, whose root is
/// the header's `dataHash`. Whoever trusts the header (by its hash in the chain, or the orderers'
/// signatures over it) can check the envelope without the rest of the block.
public struct TransactionInclusionProof: Sendable, Equatable {
    /// The transaction id.
    public var txID: String
    /// The header of the block that holds the transaction.
    public var header: BlockHeader
    /// The transaction's position in the block (the leaf index).
    public var txNumber: UInt32
    /// The number of envelopes in the block (the tree size).
    public var treeSize: UInt64
    /// The envelope bytes.
    public var envelope: [UInt8]
    /// The RFC 6962 audit path, from the leaf's sibling upwards.
    public var auditPath: [[UInt8]]

    /// Creates a proof.
    public init(txID: String, header: BlockHeader, txNumber: UInt32, treeSize: UInt64, envelope: [UInt8], auditPath: [[UInt8]]) {
        self.txID = txID
        self.header = header
        self.txNumber = txNumber
        self.treeSize = treeSize
        self.envelope = envelope
        self.auditPath = auditPath
    }

    /// Checks the proof against its own header's `dataHash`.
    public func verify() throws(MerkleProofError) {
        try verify(dataHash: header.dataHash)
    }

    /// Checks the proof against a header obtained independently (it must be the same block).
    public func verify(against trustedHeader: BlockHeader) throws(MerkleProofError) {
        guard trustedHeader == header else {
            throw .rootMismatch(expected: trustedHeader.dataHash, computed: header.dataHash)
        }
        try verify(dataHash: trustedHeader.dataHash)
    }

    private func verify(dataHash: [UInt8]) throws(MerkleProofError) {
        try MerkleTree.verifyInclusion(
            leafHash: MerkleTree.leafHash(envelope), leafIndex: UInt64(txNumber), treeSize: treeSize,
            proof: auditPath, root: dataHash)
    }
}
