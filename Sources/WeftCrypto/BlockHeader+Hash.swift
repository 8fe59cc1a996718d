import WeftCore

extension BlockHeader {
    /// The header hash: SHA-256 of the canonical header bytes. The next block's `previousHash`, the key
    /// of `block(hash:)`, and the message orderers sign (`BlockSignature`).
    public var hash: [UInt8] { SHA256.hash(canonicalBytes) }
}

extension Block {
    /// The `dataHash` that `data` requires: the RFC 6962 Merkle root over the envelope bytes
    /// (SHA-256 of the empty string for a block without envelopes).
    public static func dataHash(of data: [[UInt8]]) -> [UInt8] {
        MerkleTree.root(leaves: data)
    }
}

extension Block {
    /// Block `number` over `data`, chained onto `previousHash`, with its data hash and empty metadata.
    public init(number: UInt64, previousHash: [UInt8], data: [[UInt8]]) {
        self.init(header: BlockHeader(number: number, previousHash: previousHash, dataHash: Block.dataHash(of: data)), data: data)
    }
}
