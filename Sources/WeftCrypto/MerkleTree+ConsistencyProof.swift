extension MerkleTree {
    /// The consistency proof between the tree of the first `oldSize` leaves and the tree over all of
    /// `leafHashes` (RFC 6962 section 2.1.2, PROOF). Requires `0 < oldSize <= leafHashes.count`.
    public static func consistencyProof(oldSize: Int, leafHashes: [[UInt8]]) throws(MerkleProofError) -> [[UInt8]] {
        guard oldSize > 0, oldSize <= leafHashes.count else {
            throw .invalidSize("old size \(oldSize) must be in 1...\(leafHashes.count)")
        }
        var proof: [[UInt8]] = []
        appendSubproof(oldSize, leafHashes, 0..<leafHashes.count, complete: true, to: &proof)
        return proof
    }

    private static func appendSubproof(
        _ m: Int, _ leaves: [[UInt8]], _ range: Range<Int>, complete: Bool, to proof: inout [[UInt8]]
    ) {
        let n = range.count
        if m == n {
            if !complete { proof.append(subtreeRoot(leaves, range)) }
            return
        }
        let k = largestPowerOfTwo(below: n)
        let split = range.lowerBound + k
        if m <= k {
            appendSubproof(m, leaves, range.lowerBound..<split, complete: complete, to: &proof)
            proof.append(subtreeRoot(leaves, split..<range.upperBound))
        } else {
            appendSubproof(m - k, leaves, split..<range.upperBound, complete: false, to: &proof)
            proof.append(subtreeRoot(leaves, range.lowerBound..<split))
        }
    }

    /// Checks that the tree of `size1` leaves with root `root1` is a prefix of the tree of `size2`
    /// leaves with root `root2` (RFC 9162 section 2.1.4.2). Equal sizes need equal roots and an empty
    /// proof; a size of zero is refused, because consistency with the empty tree proves nothing.
    public static func verifyConsistency(
        size1: UInt64, size2: UInt64, proof: [[UInt8]], root1: [UInt8], root2: [UInt8]
    ) throws(MerkleProofError) {
        guard size1 <= size2 else { throw .invalidSize("size1 \(size1) is greater than size2 \(size2)") }
        guard size1 > 0 else { throw .invalidSize("consistency with the empty tree is not defined") }
        if size1 == size2 {
            guard proof.isEmpty else { throw .wrongProofLength(expected: 0, actual: proof.count) }
            guard root1 == root2 else { throw .rootMismatch(expected: root2, computed: root1) }
            return
        }
        guard !proof.isEmpty else { throw .wrongProofLength(expected: 1, actual: 0) }
        try checkHashes(proof)
        var (inner, border) = decompose(index: size1 - 1, size: size2)
        let shift = size1.trailingZeroBitCount
        inner -= shift
        // When size1 is a perfect subtree, its root is the seed and is not repeated in the proof.
        let seed: [UInt8]
        let start: Int
        if size1 == UInt64(1) << UInt64(shift) {
            seed = root1
            start = 0
        } else {
            seed = proof[0]
            start = 1
        }
        guard proof.count == start + inner + border else {
            throw .wrongProofLength(expected: start + inner + border, actual: proof.count)
        }
        let path = proof[start...]
        let innerPath = path.prefix(inner)
        let borderPath = path.dropFirst(inner)
        let mask = (size1 - 1) >> UInt64(shift)
        let computed1 = chainBorderRight(chainInnerRight(seed, innerPath, index: mask), borderPath)
        guard computed1 == root1 else { throw .rootMismatch(expected: root1, computed: computed1) }
        let computed2 = chainBorderRight(chainInner(seed, innerPath, index: mask), borderPath)
        guard computed2 == root2 else { throw .rootMismatch(expected: root2, computed: computed2) }
    }
}
