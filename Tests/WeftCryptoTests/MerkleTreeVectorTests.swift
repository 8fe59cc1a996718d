import Foundation
import Testing
import WeftCore
import WeftTestSupport
@testable import WeftCrypto

/// Runs every case in ../shared/vectors/rfc6962 (transparency-dev/merkle): happy paths must verify,
/// corrupted proofs must be refused. Data-driven: new files are picked up without code changes.
@Suite struct MerkleTreeVectorTests {
    /// The 8 test leaves of RFC 6962 and their published root.
    static let rfcLeaves: [[UInt8]] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map { Hex.decode($0)! }
    static let rfcRoot = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"

    @Test func rootOfTheEightTestLeaves() {
        #expect(Hex.encode(MerkleTree.root(leaves: Self.rfcLeaves)) == Self.rfcRoot)
        let hashes = Self.rfcLeaves.map { MerkleTree.leafHash($0) }
        #expect(Hex.encode(MerkleTree.subtreeRoot(hashes, 0..<8)) == Self.rfcRoot)
        #expect(MerkleTree.root(leaves: []) == SHA256.hash([UInt8]()))
    }

    @Test func inclusionVectors() throws {
        let files = try Self.jsonFiles(under: "rfc6962/inclusion")
        #expect(!files.isEmpty)
        var happy = 0
        for file in files {
            let object = try Self.object(file)
            let leafIndex = try Self.uint64(object["leafIdx"])
            let treeSize = try Self.uint64(object["treeSize"])
            let root = try Self.base64(object["root"])
            let leafHash = try Self.base64(object["leafHash"])
            let proof = try Self.base64List(object["proof"])
            let wantErr = try #require(object["wantErr"] as? Bool)
            let result = Result { () throws(MerkleProofError) in
                try MerkleTree.verifyInclusion(
                    leafHash: leafHash, leafIndex: leafIndex, treeSize: treeSize,
                    proof: proof, root: root)
            }
            #expect(Self.failed(result) == wantErr, "\(file.path)")
            if !wantErr {
                happy += 1
                try checkGeneratedInclusion(leafIndex: leafIndex, treeSize: treeSize, proof: proof, root: root, file: file)
            }
        }
        #expect(happy > 0)
    }

    @Test func consistencyVectors() throws {
        let files = try Self.jsonFiles(under: "rfc6962/consistency")
        #expect(!files.isEmpty)
        for file in files {
            let object = try Self.object(file)
            let size1 = try Self.uint64(object["size1"])
            let size2 = try Self.uint64(object["size2"])
            let root1 = try Self.base64(object["root1"])
            let root2 = try Self.base64(object["root2"])
            let proof = try Self.base64List(object["proof"])
            let wantErr = try #require(object["wantErr"] as? Bool)
            let result = Result { () throws(MerkleProofError) in
                try MerkleTree.verifyConsistency(
                    size1: size1, size2: size2, proof: proof, root1: root1, root2: root2)
            }
            #expect(Self.failed(result) == wantErr, "\(file.path)")
            // Happy paths over the RFC test leaves must also be what our generator produces.
            if !wantErr, size2 <= 8, size1 > 0, size1 < size2,
               root2 == MerkleTree.root(leaves: Array(Self.rfcLeaves.prefix(Int(size2)))) {
                let hashes = Self.rfcLeaves.prefix(Int(size2)).map { MerkleTree.leafHash($0) }
                #expect(try MerkleTree.consistencyProof(oldSize: Int(size1), leafHashes: hashes) == proof, "\(file.path)")
            }
        }
    }

    private func checkGeneratedInclusion(leafIndex: UInt64, treeSize: UInt64, proof: [[UInt8]], root: [UInt8], file: URL) throws {
        guard treeSize <= 8, root == MerkleTree.root(leaves: Array(Self.rfcLeaves.prefix(Int(treeSize)))) else { return }
        let hashes = Self.rfcLeaves.prefix(Int(treeSize)).map { MerkleTree.leafHash($0) }
        #expect(try MerkleTree.inclusionProof(leafIndex: Int(leafIndex), leafHashes: hashes) == proof, "\(file.path)")
    }

    // MARK: - Reading the vector files

    static func jsonFiles(under folder: String) throws -> [URL] {
        let root = Vectors.url(folder)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw Vectors.VectorError.missing(root.path)
        }
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }
            .sorted { $0.path < $1.path }
    }

    static func object(_ file: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: file)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(file.path)")
    }

    static func uint64(_ value: Any?) throws -> UInt64 {
        try #require((value as? NSNumber)?.uint64Value, "not an unsigned integer: \(String(describing: value))")
    }

    static func base64(_ value: Any?) throws -> [UInt8] {
        guard let text = value as? String else { return [] }
        return Array(try #require(Data(base64Encoded: text), "bad base64 \(text)"))
    }

    static func base64List(_ value: Any?) throws -> [[UInt8]] {
        guard let list = value as? [String] else { return [] }
        return try list.map { try base64($0) }
    }

    static func failed(_ result: Result<Void, MerkleProofError>) -> Bool {
        if case .failure = result { return true }
        return false
    }
}
