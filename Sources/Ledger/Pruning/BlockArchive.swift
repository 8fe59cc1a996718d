#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCrypto

/// A file of consecutive blocks exported before they are pruned (`weft ledger export`): a header
/// record (format, first block, count), then each block in canonical encoding, as the ledger stores it
/// (validation flags and commit hash included). It verifies itself — every block's data hash is the
/// Merkle root of its envelopes and each header links to the one before — and against a ledger's kept
/// headers (`verify(archive:against:)`), pruned or not.
public enum BlockArchive {
    /// The format's name and version.
    public static let format = "weft-block-archive/1"

    /// What an archive holds.
    public struct Summary: Sendable, Equatable, Codable {
        public var firstBlock: UInt64
        public var blocks: UInt64
        public var bytes: UInt64
        /// SHA-256 of the archive file, hex.
        public var sha256: String
    }

    /// Writes blocks `first...last` of `ledger` into the new file `path` (written as `path.partial`,
    /// then renamed). The blocks must not be pruned yet.
    public static func export(from ledger: Ledger, first: UInt64, last: UInt64, to path: String) throws(LedgerError) -> Summary {
        let height = ledger.chainInfo.height
        guard first <= last, last < height else {
            throw .invalidArgument("blocks \(first)…\(last) are not a range of the ledger's blocks 0…\(Int64(height) - 1)")
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .invalidArgument("\(path) already exists; name a new file for the archive")
        }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = (slash.map { String(path[path.index(after: $0)...]) } ?? path) + ".partial"
        let partial = folder + "/" + name
        try? FileManager.default.removeItem(atPath: partial)
        let summary: Summary
        do throws(LedgerError) {
            let file = try RecordFileWriter(folder: folder.isEmpty ? "/" : folder, name: name)
            try file.append { writer in
                writer.write(format)
                writer.write(first)
                writer.write(last - first + 1)
            }
            let snapshot = try ledger.snapshot()
            defer { snapshot.close() }
            for number in first...last {
                guard let block = try snapshot.block(number: number) else {
                    throw .corrupt(path: ledger.path, problem: "block \(number) is missing")
                }
                try file.append { $0.write(lengthPrefixed: block.canonicalBytes) }
            }
            let written = try file.finish()
            summary = Summary(firstBlock: first, blocks: last - first + 1, bytes: written.bytes, sha256: written.sha256)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        try PartialOutput.publish(partial, as: path)
        return summary
    }

    /// Checks the archive at `path`: its blocks decode, are consecutive, each data hash is the Merkle
    /// root of its envelopes and each header links to the one before; and each block's header hash and
    /// metadata are those `ledger` keeps for that number. Throws naming the first problem.
    public static func verify(archive path: String, against ledger: Ledger) throws(LedgerError) -> Summary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidArgument("no archive at \(path)")
        }
        let bytes = [UInt8](data)
        var reader = ByteReader(bytes)
        let first: UInt64
        let count: UInt64
        do throws(DecodingError) {
            let found = try reader.readString()
            guard found == format else {
                throw DecodingError.invalidValue(offset: 0, "format \"\(found)\" is not \"\(format)\"")
            }
            first = try reader.readUInt64()
            count = try reader.readUInt64()
        } catch {
            throw .corrupt(path: path, problem: "it is not a block archive: \(error)")
        }
        let snapshot = try ledger.snapshot()
        defer { snapshot.close() }
        var previousHash: [UInt8]?
        for index in 0..<count {
            let number = first + index
            let block: Block
            do throws(DecodingError) {
                block = try Block(canonicalBytes: try reader.readLengthPrefixed())
            } catch {
                throw .corrupt(path: path, problem: "block \(number) does not decode: \(error)")
            }
            guard block.header.number == number else {
                throw .corrupt(path: path, problem: "the archive's block \(index) is block \(block.header.number), not \(number)")
            }
            guard Block.dataHash(of: block.data) == block.header.dataHash else {
                throw .corrupt(path: path, problem: "block \(number): its envelopes are not what its data hash covers")
            }
            if let previousHash, block.header.previousHash != previousHash {
                throw .corrupt(path: path, problem: "block \(number) does not link to block \(number - 1)")
            }
            let kept = try snapshot.header(number: number)
            guard let kept, kept.hash == block.header.hash, kept.metadata == block.metadata.canonicalBytes else {
                throw .corrupt(path: path, problem: "block \(number) is not the block the ledger keeps at that height")
            }
            previousHash = block.header.hash
        }
        guard reader.isAtEnd else { throw .corrupt(path: path, problem: "\(reader.remaining) bytes follow the last block") }
        return Summary(firstBlock: first, blocks: count, bytes: UInt64(bytes.count), sha256: Hex.encode(SHA256.hash(bytes)))
    }
}

extension LedgerSnapshot {
    /// What the ledger keeps of block `number` even when its body was pruned: the header's hash and
    /// the stored metadata bytes; nil beyond the height.
    func header(number: UInt64) throws(LedgerError) -> (hash: [UInt8], metadata: [UInt8])? {
        try withConnection { (connection) throws(LedgerError) in
            let row = try connection.prepared("SELECT hash, metadata FROM blocks WHERE number = ?1")
            defer { row.reset() }
            try row.bind(1, Int64(bitPattern: number))
            guard try row.step() else { return nil }
            return (row.blob(0), row.blob(1))
        }
    }
}
