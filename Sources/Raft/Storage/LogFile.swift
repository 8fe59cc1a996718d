import WeftCore

/// The append-only file of log entries: an 8-byte header `WRAFTLG1`, then one record per entry:
/// `length` (u32, of the payload), `crc` (u32, CRC-32C of the payload), `payload` (the entry's
/// canonical encoding). Only the index → offset map lives in memory.
///
/// A crash can leave a torn record at the end (a header or payload cut short, or a final record whose
/// checksum fails, or zeros after the last good record); recovery cuts it off. A bad record followed by
/// good data is corruption, and opening fails rather than silently dropping acknowledged entries.
final class LogFile {
    static let magic: [UInt8] = Array("WRAFTLG1".utf8)
    static let recordHeaderSize = 8

    private var file: DurableFile
    /// The index of the first record (meaningful when `offsets` is not empty).
    private(set) var firstIndex: UInt64 = 0
    /// The byte offset of each record, from `firstIndex` on.
    private var offsets: [UInt64] = []
    /// Where the next record goes.
    private var endOffset = UInt64(LogFile.magic.count)

    var path: String { file.path }
    var isEmpty: Bool { offsets.isEmpty }
    var lastIndex: UInt64? { offsets.isEmpty ? nil : firstIndex + UInt64(offsets.count) - 1 }

    /// Opens the log at `path`, creating it if needed and cutting off a torn tail. Returns the file, its
    /// entries, and how many bytes of torn tail were cut off.
    static func open(path: String) throws(RaftError) -> (log: LogFile, entries: [Entry], tornBytes: UInt64) {
        let file = try DurableFile(path: path)
        let bytes = try file.readAll()
        if bytes.count < magic.count {
            // A new file, or one whose creation was cut short before the header was complete.
            try file.truncate(to: 0)
            try file.write(magic, at: 0)
            try file.sync()
            return (LogFile(file: file), [], UInt64(bytes.count))
        }
        guard Array(bytes.prefix(magic.count)) == magic else {
            throw .corruptStorage(path: path, offset: 0, reason: "not a Weft Raft log (bad header)")
        }
        let log = LogFile(file: file)
        let entries = try log.scan(bytes)
        let tornBytes = UInt64(bytes.count) - log.endOffset
        if tornBytes > 0 {
            try file.truncate(to: log.endOffset)
            try file.sync()
        }
        return (log, entries, tornBytes)
    }

    private init(file: DurableFile) {
        self.file = file
    }

    /// Reads every record, filling the offset map; stops at a torn tail.
    private func scan(_ bytes: [UInt8]) throws(RaftError) -> [Entry] {
        var entries: [Entry] = []
        var offset = Self.magic.count
        while offset < bytes.count {
            guard let entry = try record(in: bytes, at: offset) else { break }
            if let last = entries.last, entry.index != last.index + 1 {
                throw .corruptStorage(path: path, offset: UInt64(offset),
                                      reason: "entry \(entry.index) follows entry \(last.index)")
            }
            if entries.isEmpty { firstIndex = entry.index }
            offsets.append(UInt64(offset))
            entries.append(entry)
            offset += Self.recordHeaderSize + entry.encodedSize
        }
        endOffset = UInt64(offset)
        return entries
    }

    /// The entry of the record at `offset`, or nil when a torn tail starts there.
    private func record(in bytes: [UInt8], at offset: Int) throws(RaftError) -> Entry? {
        let remaining = bytes.count - offset
        guard remaining >= Self.recordHeaderSize else { return nil }
        var reader = ByteReader(bytes[offset..<offset + Self.recordHeaderSize])
        let length: Int, crc: UInt32
        do {
            length = Int(try reader.readUInt32())
            crc = try reader.readUInt32()
        } catch {
            return nil
        }
        let end = offset + Self.recordHeaderSize + length
        guard end <= bytes.count else { return nil }
        let payload = bytes[(offset + Self.recordHeaderSize)..<end]
        let reason: String
        if length < Entry.fixedEncodedSize {
            reason = "record length \(length) is shorter than any entry"
        } else if CRC32C.checksum(payload) != crc {
            reason = "record checksum mismatch"
        } else {
            do {
                return try Entry(canonicalBytes: payload)
            } catch {
                reason = "record does not decode: \(error)"
            }
        }
        // A bad record is a torn tail when nothing but zeros, or nothing at all, follows it.
        if end == bytes.count || bytes[offset...].allSatisfy({ $0 == 0 }) { return nil }
        throw .corruptStorage(path: path, offset: UInt64(offset), reason: reason)
    }

    /// Appends `entries`; when the first one's index is already in the file, the file is cut there first.
    /// The caller checked that the first index is within `firstIndex ... lastIndex + 1` (or starts an empty log).
    func append(_ entries: [Entry]) throws(RaftError) {
        guard let first = entries.first else { return }
        if let lastIndex, first.index <= lastIndex {
            let keep = Int(first.index - firstIndex)
            endOffset = offsets[keep]
            offsets.removeLast(offsets.count - keep)
            try file.truncate(to: endOffset)
        }
        if offsets.isEmpty { firstIndex = first.index }
        var writer = ByteWriter(capacity: entries.reduce(0) { $0 + Self.recordHeaderSize + $1.encodedSize })
        var offset = endOffset
        for entry in entries {
            var entryWriter = ByteWriter(capacity: entry.encodedSize)
            entry.encode(to: &entryWriter)
            let payload = entryWriter.bytes
            writer.write(UInt32(payload.count))
            writer.write(CRC32C.checksum(payload))
            writer.write(raw: payload)
            offsets.append(offset)
            offset += UInt64(Self.recordHeaderSize + payload.count)
        }
        try file.write(writer.bytes, at: endOffset)
        endOffset = offset
    }

    /// Makes every appended record durable.
    func sync() throws(RaftError) { try file.sync() }

    /// The term of the entry at `index`, read from the file.
    func term(at index: UInt64) throws(RaftError) -> UInt64? {
        guard let lastIndex, index >= firstIndex, index <= lastIndex else { return nil }
        let offset = offsets[Int(index - firstIndex)]
        var reader = ByteReader(try file.read(at: offset + UInt64(Self.recordHeaderSize), count: 8))
        return try? reader.readUInt64()
    }

    /// Reads all entries back (the file was validated when opened).
    func readEntries() throws(RaftError) -> [Entry] {
        let bytes = try file.read(at: 0, count: Int(endOffset))
        var entries: [Entry] = []
        entries.reserveCapacity(offsets.count)
        for offset in offsets {
            guard let entry = try record(in: bytes, at: Int(offset)) else {
                throw .corruptStorage(path: path, offset: offset, reason: "record changed since the log was opened")
            }
            entries.append(entry)
        }
        return entries
    }

    /// Rewrites the file without the entries up to `index` (all of them when the log holds no entry
    /// after it): a new file is written and synced, then renamed over the old one.
    func dropEntries(through index: UInt64) throws(RaftError) {
        var kept = Self.magic
        var keptOffsets: [UInt64] = []
        if let lastIndex, index < lastIndex {
            let firstKept = Int(max(index + 1, firstIndex) - firstIndex)
            let start = offsets[firstKept]
            kept += try file.read(at: start, count: Int(endOffset - start))
            keptOffsets = offsets[firstKept...].map { $0 - start + UInt64(Self.magic.count) }
            firstIndex = max(index + 1, firstIndex)
        }
        try DurableFile.replaceAtomically(path: path, with: kept)
        file = try DurableFile(path: path, create: false)
        offsets = keptOffsets
        endOffset = UInt64(kept.count)
    }
}
