/// RFC 6962 (Certificate Transparency) Merkle tree hashing, section 2.1:
/// `leaf = SHA-256(0x00 ‖ data)`, `node = SHA-256(0x01 ‖ left ‖ right)`, the empty tree's root is
/// `SHA-256("")`, and a tree of `n > 1` leaves splits at the largest power of two below `n`.
///
/// Weft uses it for a block's `dataHash` (the root over the envelope bytes), which gives every
/// transaction an inclusion proof (`inclusionProof`, `verifyInclusion`) and lets two block sizes be
/// proven consistent (`consistencyProof`, `verifyConsistency`).
public enum MerkleTree {
    /// Hash length in bytes.
    public static let hashSize = 32

    /// The root of the empty tree: SHA-256 of the empty string.
    public static let emptyRoot: [UInt8] = SHA256.hash([UInt8]())

    /// The leaf hash of `data`: SHA-256(0x00 ‖ data).
    public static func leafHash(_ data: some ContiguousBytes) -> [UInt8] {
        var hasher = SHA256()
        hasher.update([UInt8(0)])
        hasher.update(data)
        return hasher.finalize()
    }

    /// The interior node hash: SHA-256(0x01 ‖ left ‖ right).
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update([UInt8(1)])
        hasher.update(left)
        hasher.update(right)
        return hasher.finalize()
    }

    /// The Merkle tree hash of `leaves` (the data, not yet leaf-hashed).
    public static func root(leaves: [[UInt8]]) -> [UInt8] {
        root(leafHashes: leaves.map { leafHash($0) })
    }

    /// The Merkle tree hash over already-computed leaf hashes.
    ///
    /// Pairs nodes level by level and carries an odd last node up unchanged, which builds exactly
    /// RFC 6962's tree (split at the largest power of two below the size) without recursion.
    public static func root(leafHashes: [[UInt8]]) -> [UInt8] {
        guard !leafHashes.isEmpty else { return emptyRoot }
        var level = leafHashes
        while level.count > 1 {
            var next: [[UInt8]] = []
            next.reserveCapacity((level.count + 1) / 2)
            var index = 0
            while index + 1 < level.count {
                next.append(nodeHash(level[index], level[index + 1]))
                index += 2
            }
            if index < level.count { next.append(level[index]) }
            level = next
        }
        return level[0]
    }

    /// The Merkle tree hash of `leafHashes[range]`, by RFC 6962's recursive definition.
    static func subtreeRoot(_ leafHashes: [[UInt8]], _ range: Range<Int>) -> [UInt8] {
        switch range.count {
        case 0: return emptyRoot
        case 1: return leafHashes[range.lowerBound]
        default:
            let split = range.lowerBound + largestPowerOfTwo(below: range.count)
            return nodeHash(
                subtreeRoot(leafHashes, range.lowerBound..<split),
                subtreeRoot(leafHashes, split..<range.upperBound)
            )
        }
    }

    /// The largest power of two strictly less than `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}
