import Testing
import WeftCore
@testable import WeftCrypto

/// Generated proofs verify for every leaf and size pair of small trees, and the iterative root
/// equals RFC 6962's recursive definition.
@Suite struct MerkleTreeTests {
    static let leaves: [[UInt8]] = (0..<40).map { Array("leaf-\($0)".utf8) }

    @Test func iterativeRootEqualsRecursiveDefinition() {
        let hashes = Self.leaves.map { MerkleTree.leafHash($0) }
        for size in 0...hashes.count {
            let prefix = Array(hashes.prefix(size))
            #expect(MerkleTree.root(leafHashes: prefix) == MerkleTree.subtreeRoot(prefix, 0..<size))
        }
    }

    @Test func everyInclusionProofVerifies() throws {
        let hashes = Self.leaves.map { MerkleTree.leafHash($0) }
        for size in 1...hashes.count {
            let tree = Array(hashes.prefix(size))
            let root = MerkleTree.root(leafHashes: tree)
            for index in 0..<size {
                let proof = try MerkleTree.inclusionProof(leafIndex: index, leafHashes: tree)
                try MerkleTree.verifyInclusion(
                    leafHash: tree[index], leafIndex: UInt64(index), treeSize: UInt64(size), proof: proof, root: root)
                // The same proof must not pass for a neighbouring leaf.
                let other = (index + 1) % size
                if other != index {
                    #expect(throws: MerkleProofError.self) {
                        try MerkleTree.verifyInclusion(
                            leafHash: tree[other], leafIndex: UInt64(index), treeSize: UInt64(size), proof: proof, root: root)
                    }
                }
            }
        }
    }

    @Test func everyConsistencyProofVerifies() throws {
        let hashes = Self.leaves.map { MerkleTree.leafHash($0) }
        for size2 in 1...hashes.count {
            let root2 = MerkleTree.root(leafHashes: Array(hashes.prefix(size2)))
            for size1 in 1...size2 {
                let root1 = MerkleTree.root(leafHashes: Array(hashes.prefix(size1)))
                let proof = try MerkleTree.consistencyProof(oldSize: size1, leafHashes: Array(hashes.prefix(size2)))
                try MerkleTree.verifyConsistency(
                    size1: UInt64(size1), size2: UInt64(size2), proof: proof, root1: root1, root2: root2)
                if size1 < size2 {
                    #expect(throws: MerkleProofError.self) {
                        try MerkleTree.verifyConsistency(
                            size1: UInt64(size1), size2: UInt64(size2), proof: proof, root1: root2, root2: root1)
                    }
                }
            }
        }
    }

    @Test func malformedInputIsRefusedWithAReason() {
        #expect(throws: MerkleProofError.invalidSize("leaf index 3 is outside a tree of 2 leaves")) {
            try MerkleTree.inclusionProof(leafIndex: 3, leafHashes: [[1], [2]])
        }
        #expect(throws: MerkleProofError.malformedHash("leaf hash has 3 bytes")) {
            try MerkleTree.verifyInclusion(leafHash: [1, 2, 3], leafIndex: 0, treeSize: 1, proof: [], root: [])
        }
        #expect(throws: MerkleProofError.self) {
            try MerkleTree.consistencyProof(oldSize: 0, leafHashes: [[1]])
        }
    }

    @Test func blockHeaderHashIsSHA256OfCanonicalBytes() {
        let header = BlockHeader(number: 7, previousHash: BlockHeader.genesisPreviousHash, dataHash: MerkleTree.emptyRoot)
        #expect(header.hash == SHA256.hash(header.canonicalBytes))
        #expect(Block.dataHash(of: []) == SHA256.hash([UInt8]()))
        #expect(Block.dataHash(of: [[1, 2]]) == MerkleTree.leafHash([UInt8]([1, 2])))
    }
}
