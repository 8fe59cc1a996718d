import Raft
import WeftCore

/// The append-only file of blocks: an 8-byte header `WBLOCKS1`, then one record per block, numbered
/// from 0 without gaps: a `BlockRecordHeader` (60 bytes) and the block's canonical bytes. Only the
/// offset of each record lives in memory. Not thread-safe: `BlockStore` serializes access to it.
///
/// Recovery (`open`): the records are walked header to header. A crash can leave a torn tail — a header
/// or payload cut short, a final record whose payload checksum fails, or zeros after the last good
/// record — which is cut off. A bad header followed by anything but zeros, or a block number out of
/// sequence, is corruption: opening fails rather than silently dropping blocks.
struct BlockFile {
    static let magic: [UInt8] = Array("WBLOCKS1".utf8)

    let file: PositionedFile
    /// The byte offset of each block's record; block `n` is at `offsets[n]`.
    private(set) var offsets: [UInt64] = []
    /// Where the next record goes.
    private(set) var endOffset = UInt64(BlockFile.magic.count)
    /// The header of the last record, if any.
    private(set) var lastHeader: BlockRecordHeader?
    /// Bytes of torn tail cut off when the file was opened.
    private(set) var tornBytes: UInt64 = 0

    var path: String { file.path }
    var height: UInt64 { UInt64(offsets.count) }

    /// Opens the block file at `path`, creating it if needed, and cuts off a torn tail.
    static func open(path: String) throws(OrdererError) -> BlockFile {
        var blockFile = BlockFile(file: try PositionedFile(path: path))
        let size = try blockFile.file.size()
        if size < UInt64(magic.count) {
            // A new file, or one whose creation was cut short before its header was complete.
            try blockFile.file.truncate(to: 0)
            try blockFile.file.write(magic, at: 0)
            try blockFile.file.sync()
            blockFile.tornBytes = size
            return blockFile
        }
        guard try blockFile.file.read(at: 0, count: magic.count) == magic else {
            throw .corruptStorage(path: path, offset: 0, reason: "not a Weft block file (bad header)")
        }
        try blockFile.scan(size: size)
        return blockFile
    }

    /// Walks the records, filling `offsets`; cuts off a torn tail.
    private mutating func scan(size: UInt64) throws(OrdererError) {
        var offset = UInt64(Self.magic.count)
        while offset < size {
            guard let header = try validRecord(at: offset, fileSize: size) else { break }
            offsets.append(offset)
            lastHeader = header
            offset += UInt64(BlockRecordHeader.size) + UInt64(header.length)
        }
        endOffset = offset
        if offset < size {
            tornBytes = size - offset
            try file.truncate(to: offset)
            try file.sync()
        }
    }

    /// The header of the record at `offset`, or nil when a torn tail starts there.
    private func validRecord(at offset: UInt64, fileSize: UInt64) throws(OrdererError) -> BlockRecordHeader? {
        let remaining = fileSize - offset
        guard remaining >= UInt64(BlockRecordHeader.size) else { return nil }
        let headerBytes = try file.read(at: offset, count: BlockRecordHeader.size)
        let header: BlockRecordHeader
        do {
            header = try BlockRecordHeader(parsing: headerBytes[...])
        } catch {
            if try onlyZeros(from: offset, to: fileSize) { return nil }
            throw .corruptStorage(path: path, offset: offset, reason: "record header checksum mismatch")
        }
        guard header.number == height else {
            throw .corruptStorage(path: path, offset: offset,
                                  reason: "block \(header.number) found where block \(height) belongs")
        }
        let end = offset + UInt64(BlockRecordHeader.size) + UInt64(header.length)
        guard end <= fileSize else { return nil }
        if end == fileSize {
            // The last record: its payload may be torn even though its header is whole.
            let payload = try file.read(at: offset + UInt64(BlockRecordHeader.size), count: Int(header.length))
            guard CRC32C.checksum(payload) == header.payloadCRC else { return nil }
        }
        return header
    }

    private func onlyZeros(from start: UInt64, to end: UInt64) throws(OrdererError) -> Bool {
        var offset = start
        while offset < end {
            let chunk = try file.read(at: offset, count: Int(min(end - offset, 1 << 20)))
            guard !chunk.isEmpty else { return true }
            if chunk.contains(where: { $0 != 0 }) { return false }
            offset += UInt64(chunk.count)
        }
        return true
    }

    private init(file: PositionedFile) {
        self.file = file
    }

    /// Appends the records of the next blocks, in order (header, then payload). Not durable until
    /// `file.sync()`.
    mutating func append(records: [(header: BlockRecordHeader, payload: [UInt8])]) throws(OrdererError) {
        for (header, payload) in records {
            try file.write(header.bytes, at: endOffset)
            try file.write(payload, at: endOffset + UInt64(BlockRecordHeader.size))
            offsets.append(endOffset)
            endOffset += UInt64(BlockRecordHeader.size + payload.count)
            lastHeader = header
        }
    }

    /// The byte range of block `number`'s record, if stored.
    func recordRange(of number: UInt64) -> Range<UInt64>? {
        guard number < height else { return nil }
        let start = offsets[Int(number)]
        let end = number + 1 < height ? offsets[Int(number) + 1] : endOffset
        return start..<end
    }
}
