import WeftCore
import WeftCrypto

/// What a ledger snapshot folder holds (`manifest.json`): the chain at the snapshot's height, each data
/// file's size, record count and SHA-256, and the snapshot hash over all of it. Two peers of a channel
/// at the same height produce the same manifest, hash included.
public struct SnapshotManifest: Codable, Sendable, Equatable {
    /// One data file of the snapshot.
    public struct File: Codable, Sendable, Equatable {
        /// Its name in the folder.
        public var name: String
        public var bytes: UInt64
        public var records: UInt64
        /// SHA-256 of its bytes, hex.
        public var sha256: String
    }

    /// The format's name and version.
    public var format: String
    /// The channel the ledger belongs to.
    public var channel: String
    /// Blocks 0 ..< height are reflected in the snapshot.
    public var height: UInt64
    /// Header hash of block `height - 1`, hex.
    public var blockHash: String
    /// Commit hash after block `height - 1`, hex (what every peer reports at that height).
    public var commitHash: String
    public var files: [File]
    /// SHA-256 over the canonical encoding of everything above (`SnapshotManifest.hashInput`), hex.
    public var snapshotHash: String

    /// The format this version writes and reads.
    public static let currentFormat = "weft-ledger-snapshot/1"
    /// The manifest's file name.
    public static let fileName = "manifest.json"

    /// The snapshot hash of the other fields.
    public var computedHash: String {
        Hex.encode(SHA256.hash(hashInput))
    }

    /// The bytes the snapshot hash covers: format, channel, height, block hash, commit hash, then each
    /// file's name, size, record count and hash, in the manifest's order.
    public var hashInput: [UInt8] {
        var writer = ByteWriter()
        writer.write(format)
        writer.write(channel)
        writer.write(height)
        writer.write(blockHash)
        writer.write(commitHash)
        writer.write(UInt32(files.count))
        for file in files {
            writer.write(file.name)
            writer.write(file.bytes)
            writer.write(file.records)
            writer.write(file.sha256)
        }
        return writer.bytes
    }
}
