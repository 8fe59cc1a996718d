/// Ledger administration on a peer (`ledgerSnapshot`, `ledgerBackup`, `ledgerExport`, `ledgerPrune`,
/// `ledgerDownload`; docs/wire.md): each request travels inside a `ChannelRequest` naming the channel,
/// and only administrators of the peer's own organization may make it. What the peer writes stays in
/// its data folder; `ledgerDownload` streams it to the caller.

/// Asks a peer to write a snapshot of a channel's ledger (`ledgerSnapshot`).
///
/// Canonical layout: `height` (u64: the height to snapshot; 0 = the current height).
public struct LedgerSnapshotRequest: Hashable, Sendable, CanonicalCodable {
    public var height: UInt64

    public init(height: UInt64) { self.height = height }

    public func encode(to writer: inout ByteWriter) { writer.write(height) }

    public init(from reader: inout ByteReader) throws(DecodingError) { height = try reader.readUInt64() }
}

/// A snapshot a peer wrote (`ledgerSnapshot`'s answer).
///
/// Canonical layout: `folder` (string: its path relative to the peer's data folder, e.g.
/// `snapshots/ch1/120`), `manifest` (bytes: `manifest.json` as written), `signature` (bytes:
/// `signature.json` as written, the peer's signature over the snapshot hash).
public struct LedgerSnapshotTaken: Hashable, Sendable, CanonicalCodable {
    public var folder: String
    public var manifest: [UInt8]
    public var signature: [UInt8]

    public init(folder: String, manifest: [UInt8], signature: [UInt8]) {
        self.folder = folder
        self.manifest = manifest
        self.signature = signature
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(folder)
        writer.write(lengthPrefixed: manifest)
        writer.write(lengthPrefixed: signature)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        folder = try reader.readString()
        manifest = try reader.readLengthPrefixed()
        signature = try reader.readLengthPrefixed()
    }
}

/// A file a peer wrote in its data folder (`ledgerBackup`'s and `ledgerExport`'s answer), ready for
/// `ledgerDownload`.
///
/// Canonical layout: `path` (string, relative to the peer's data folder), `bytes` (u64), `sha256`
/// (bytes: SHA-256 of the file), `height` (u64: a backup's height; an archive's first block),
/// `count` (u64: an archive's number of blocks; 0 for a backup), `currentHash` (bytes: a backup's
/// last block hash; empty for an archive), `commitHash` (bytes: a backup's commit hash; empty for an
/// archive).
public struct LedgerFileWritten: Hashable, Sendable, CanonicalCodable {
    public var path: String
    public var bytes: UInt64
    public var sha256: [UInt8]
    public var height: UInt64
    public var count: UInt64
    public var currentHash: [UInt8]
    public var commitHash: [UInt8]

    public init(path: String, bytes: UInt64, sha256: [UInt8], height: UInt64, count: UInt64 = 0,
                currentHash: [UInt8] = [], commitHash: [UInt8] = []) {
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
        self.height = height
        self.count = count
        self.currentHash = currentHash
        self.commitHash = commitHash
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(path)
        writer.write(bytes)
        writer.write(lengthPrefixed: sha256)
        writer.write(height)
        writer.write(count)
        writer.write(lengthPrefixed: currentHash)
        writer.write(lengthPrefixed: commitHash)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        path = try reader.readString()
        bytes = try reader.readUInt64()
        sha256 = try reader.readLengthPrefixed()
        height = try reader.readUInt64()
        count = try reader.readUInt64()
        currentHash = try reader.readLengthPrefixed()
        commitHash = try reader.readLengthPrefixed()
    }
}

/// Asks a peer to export blocks `first…last` of a channel to an archive (`ledgerExport`).
///
/// Canonical layout: `first` (u64), `last` (u64).
public struct LedgerExportRequest: Hashable, Sendable, CanonicalCodable {
    public var first: UInt64
    public var last: UInt64

    public init(first: UInt64, last: UInt64) {
        self.first = first
        self.last = last
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(first)
        writer.write(last)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        first = try reader.readUInt64()
        last = try reader.readUInt64()
    }
}

/// Asks a peer to prune a channel's ledger below block `before` (`ledgerPrune`).
///
/// Canonical layout: `before` (u64), `archive` (string: an archive on the peer — relative to its data
/// folder, as `ledgerExport` answered, or absolute — checked against the ledger before pruning and
/// named when a pruned block is asked for; empty for none).
public struct LedgerPruneRequest: Hashable, Sendable, CanonicalCodable {
    public var before: UInt64
    public var archive: String

    public init(before: UInt64, archive: String) {
        self.before = before
        self.archive = archive
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(before)
        writer.write(archive)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        before = try reader.readUInt64()
        archive = try reader.readString()
    }
}

/// What a prune removed (`ledgerPrune`'s answer).
///
/// Canonical layout: `prunedBelow` (u64), `envelopesRemoved` (u64), `historyRowsRemoved` (u64),
/// `fileBytesBefore` (u64), `fileBytesAfter` (u64), `returnedSpace` (bool).
public struct LedgerPruned: Hashable, Sendable, CanonicalCodable {
    public var prunedBelow: UInt64
    public var envelopesRemoved: UInt64
    public var historyRowsRemoved: UInt64
    public var fileBytesBefore: UInt64
    public var fileBytesAfter: UInt64
    public var returnedSpace: Bool

    public init(prunedBelow: UInt64, envelopesRemoved: UInt64, historyRowsRemoved: UInt64,
                fileBytesBefore: UInt64, fileBytesAfter: UInt64, returnedSpace: Bool) {
        self.prunedBelow = prunedBelow
        self.envelopesRemoved = envelopesRemoved
        self.historyRowsRemoved = historyRowsRemoved
        self.fileBytesBefore = fileBytesBefore
        self.fileBytesAfter = fileBytesAfter
        self.returnedSpace = returnedSpace
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(prunedBelow)
        writer.write(envelopesRemoved)
        writer.write(historyRowsRemoved)
        writer.write(fileBytesBefore)
        writer.write(fileBytesAfter)
        writer.write(returnedSpace)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        prunedBelow = try reader.readUInt64()
        envelopesRemoved = try reader.readUInt64()
        historyRowsRemoved = try reader.readUInt64()
        fileBytesBefore = try reader.readUInt64()
        fileBytesAfter = try reader.readUInt64()
        returnedSpace = try reader.readBool()
    }
}

/// Asks a peer for a file it wrote for a ledger command (`ledgerDownload`, a server stream of the
/// file's bytes in chunks of at most `LedgerDownloadRequest.chunkBytes`).
///
/// Canonical layout: `path` (string: relative to the peer's data folder, inside `snapshots/<channel>/`,
/// `backups/<channel>/` or `archives/<channel>/` of the channel the request names).
public struct LedgerDownloadRequest: Hashable, Sendable, CanonicalCodable {
    public var path: String

    /// The largest stream item a peer sends (256 KiB: well under the wire's maximum frame size and
    /// the default stream window).
    public static let chunkBytes = 256 * 1024

    public init(path: String) { self.path = path }

    public func encode(to writer: inout ByteWriter) { writer.write(path) }

    public init(from reader: inout ByteReader) throws(DecodingError) { path = try reader.readString() }
}
