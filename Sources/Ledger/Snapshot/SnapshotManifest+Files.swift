#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCrypto

extension SnapshotManifest {
    /// Writes `manifest` as `folder/manifest.json` (sorted keys, so the bytes are the same on every
    /// peer) and fsyncs it.
    static func write(_ manifest: SnapshotManifest, to folder: String) throws(LedgerError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes: [UInt8]
        do { bytes = Array(try encoder.encode(manifest)) + [10] } catch {
            throw .io(operation: "encode", path: folder + "/" + fileName, message: "\(error)")
        }
        let file = try RecordFileWriter(folder: folder, name: fileName)
        try file.append { $0.write(raw: bytes) }
        _ = try file.finish()
    }

    /// Reads and checks the snapshot in `folder`: the manifest parses and is of this format, every data
    /// file is there with the size, hash and number of well-formed records the manifest gives, and the
    /// snapshot hash covers them. Throws naming the first problem; reads nothing else.
    public static func verify(folder: String) throws(LedgerError) -> SnapshotManifest {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .corrupt(path: folder, problem: "\(fileName) is missing (not a snapshot folder, or one left half-written)")
        }
        let manifest: SnapshotManifest
        do { manifest = try JSONDecoder().decode(SnapshotManifest.self, from: data) } catch {
            throw .corrupt(path: path, problem: "it is not a snapshot manifest: \(error)")
        }
        guard manifest.format == currentFormat else {
            throw .corrupt(path: path, problem: "format \"\(manifest.format)\" is not \"\(currentFormat)\"")
        }
        let expected = [Ledger.SnapshotFileName.state, Ledger.SnapshotFileName.deletedKeys,
                        Ledger.SnapshotFileName.transactions, Ledger.SnapshotFileName.lastBlock]
        guard manifest.files.map(\.name) == expected else {
            throw .corrupt(path: path, problem: "it lists \(manifest.files.map(\.name)), not \(expected)")
        }
        for file in manifest.files { try check(file, in: folder) }
        guard manifest.computedHash == manifest.snapshotHash else {
            throw .corrupt(path: path, problem: "the snapshot hash \(manifest.snapshotHash) does not cover its contents (\(manifest.computedHash))")
        }
        return manifest
    }

    /// Checks one data file's size, hash and records.
    private static func check(_ file: File, in folder: String) throws(LedgerError) {
        let path = folder + "/" + file.name
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .corrupt(path: folder, problem: "\(file.name) is missing")
        }
        let bytes = [UInt8](data)
        guard UInt64(bytes.count) == file.bytes else {
            throw .corrupt(path: path, problem: "it has \(bytes.count) bytes; the manifest says \(file.bytes)")
        }
        let digest = Hex.encode(SHA256.hash(bytes))
        guard digest == file.sha256 else {
            throw .corrupt(path: path, problem: "its SHA-256 is \(digest); the manifest says \(file.sha256)")
        }
        var reader = ByteReader(bytes)
        var records: UInt64 = 0
        do throws(DecodingError) {
            while !reader.isAtEnd {
                try SnapshotRecords.skip(file.name, &reader)
                records += 1
            }
        } catch {
            throw .corrupt(path: path, problem: "record \(records) does not decode: \(error)")
        }
        guard records == file.records else {
            throw .corrupt(path: path, problem: "it holds \(records) records; the manifest says \(file.records)")
        }
    }
}

/// The record layouts of the data files.
enum SnapshotRecords {
    /// Reads past one record of file `name`.
    static func skip(_ name: String, _ reader: inout ByteReader) throws(DecodingError) {
        switch name {
        case Ledger.SnapshotFileName.state:
            _ = try reader.readString()
            _ = try reader.readLengthPrefixed()
            _ = try reader.readLengthPrefixed()
            _ = try reader.readUInt64()
            _ = try reader.readUInt32()
        case Ledger.SnapshotFileName.deletedKeys:
            _ = try reader.readString()
            _ = try reader.readLengthPrefixed()
            _ = try reader.readUInt64()
            _ = try reader.readUInt32()
        case Ledger.SnapshotFileName.transactions:
            _ = try reader.readString()
            _ = try reader.readUInt64()
            _ = try reader.readUInt32()
            _ = try ValidationCode(from: &reader)
        default:
            _ = try reader.readLengthPrefixed()
            _ = try reader.readLengthPrefixed()
        }
    }
}
