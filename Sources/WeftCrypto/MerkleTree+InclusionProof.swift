extension MerkleTree {
    /// The audit path of leaf `index` in the tree over `leafHashes` (RFC 6962 section 2.1.1, PATH),
    /// ordered from the leaf's sibling up to the root's child.
    public static func inclusionProof(leafIndex index: Int, leafHashes: [[UInt8]]) throws(MerkleProofError) -> [[UInt8]] {
        guard index >= 0, index < leafHashes.count else {
            throw .invalidSize("leaf index \(index) is outside a tree of \(leafHashes.count) leaves")
        }
        var proof: [[UInt8]] = []
        appendPath(index, leafHashes, 0..<leafHashes.count, to: &proof)
        return proof
    }

    private static func appendPath(_ index: Int, _ leaves: [[UInt8]], _ range: Range<Int>, to proof: inout [[UInt8]]) {
        guard range.count > 1 else { return }
        let split = range.lowerBound + largestPowerOfTwo(below: range.count)
        if index < split {
            appendPath(index, leaves, range.lowerBound..<split, to: &proof)
            proof.append(subtreeRoot(leaves, split..<range.upperBound))
        } else {
            appendPath(index, leaves, split..<range.upperBound, to: &proof)
            proof.append(subtreeRoot(leaves, range.lowerBound..<split))
        }
    }

    /// Checks that `leafHash` is leaf `leafIndex` of the tree of `treeSize` leaves whose root is `root`.
    /// Throws the precise reason when it is not.
    public static func verifyInclusion(
        leafHash: [UInt8], leafIndex: UInt64, treeSize: UInt64, proof: [[UInt8]], root: [UInt8]
    ) throws(MerkleProofError) {
        let computed = try rootFromInclusionProof(leafHash: leafHash, leafIndex: leafIndex, treeSize: treeSize, proof: proof)
        guard computed == root else { throw .rootMismatch(expected: root, computed: computed) }
    }

    /// The root that an inclusion proof implies (RFC 9162 section 2.1.3.2), without comparing it.
    public static func rootFromInclusionProof(
        leafHash: [UInt8], leafIndex: UInt64, treeSize: UInt64, proof: [[UInt8]]
    ) throws(MerkleProofError) -> [UInt8] {
        guard leafIndex < treeSize else {
            throw .invalidSize("leaf index \(leafIndex) is not below tree size \(treeSize)")
        }
        guard leafHash.count == hashSize else { throw .malformedHash("leaf hash has \(leafHash.count) bytes") }
        try checkHashes(proof)
        let (inner, border) = decompose(index: leafIndex, size: treeSize)
        guard proof.count == inner + border else { throw .wrongProofLength(expected: inner + border, actual: proof.count) }
        let seed = chainInner(leafHash, proof[0..<inner], index: leafIndex)
        return chainBorderRight(seed, proof[inner...])
    }

    // MARK: - Shared by inclusion and consistency verification (after transparency-dev/merkle)

    /// Splits an audit path of leaf `index` in a tree of `size` into the part inside the largest
    /// perfect subtree holding both `index` and `size - 1` (inner) and the part along the right border.
    static func decompose(index: UInt64, size: UInt64) -> (inner: Int, border: Int) {
        let inner = UInt64.bitWidth - (index ^ (size - 1)).leadingZeroBitCount
        let border = (index >> UInt64(inner)).nonzeroBitCount
        return (inner, border)
    }

    static func chainInner(_ seed: [UInt8], _ proof: ArraySlice<[UInt8]>, index: UInt64) -> [UInt8] {
        var hash = seed
        for (level, sibling) in proof.enumerated() {
            hash = (index >> UInt64(level)) & 1 == 0 ? nodeHash(hash, sibling) : nodeHash(sibling, hash)
        }
        return hash
    }

    static func chainInnerRight(_ seed: [UInt8], _ proof: ArraySlice<[UInt8]>, index: UInt64) -> [UInt8] {
        var hash = seed
        for (level, sibling) in proof.enumerated() where (index >> UInt64(level)) & 1 == 1 {
            hash = nodeHash(sibling, hash)
        }
        return hash
    }

    static func chainBorderRight(_ seed: [UInt8], _ proof: ArraySlice<[UInt8]>) -> [UInt8] {
        var hash = seed
        for sibling in proof { hash = nodeHash(sibling, hash) }
        return hash
    }

    static func checkHashes(_ proof: [[UInt8]]) throws(MerkleProofError) {
        for (position, hash) in proof.enumerated() where hash.count != hashSize {
            throw .malformedHash("proof hash \(position) has \(hash.count) bytes")
        }
    }
}
