#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import Raft
import WeftCore
import WeftCrypto

/// An orderer's durable copy of the chain: `blocks.dat` in its directory (layout in docs/encoding.md,
/// "Orderer"), an append-only file of checksummed records, recovered after a crash by cutting off a
/// torn tail.
///
/// One owner (the ordering node) appends with `append(_:raftIndex:)` and makes the appends durable and
/// visible with `sync()`; any number of readers read blocks and follow the chain with `blocks(from:)`
/// at the same time. Readers only ever see blocks that were fsync'd.
///
/// `@unchecked Sendable`: every mutable property is read and written under `lock`; the file itself is
/// read with positioned reads, which are safe from several threads at once.
public final class BlockStore: @unchecked Sendable {
    /// The directory holding `blocks.dat`.
    public let directory: String
    /// How many bytes of torn tail opening the store cut off.
    public let recoveredTornBytes: UInt64

    let lock = NIOLock()
    private var file: BlockFile
    /// The tip of what was appended (durable or not).
    private var writtenTip: ChainTip
    /// The tip readers see: everything up to it is durable.
    private var publishedTip: ChainTip
    /// The Raft index of the last appended block.
    private var writtenRaftIndex: UInt64
    /// Readers waiting for a block beyond the published tip.
    var waiters: [Waiter] = []
    var nextWaiterID: UInt64 = 0
    var isClosed = false

    struct Waiter {
        let id: UInt64
        let number: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// Opens (creating if needed) the block store in `directory` and recovers it.
    public init(directory: String) throws(OrdererError) {
        self.directory = directory
        try PositionedFile.createDirectory(directory)
        let existed = FileManager.default.fileExists(atPath: directory + "/blocks.dat")
        file = try BlockFile.open(path: directory + "/blocks.dat")
        if !existed { try PositionedFile.syncDirectory(directory) }
        recoveredTornBytes = file.tornBytes
        let tip = file.lastHeader.map { ChainTip(height: $0.number + 1, lastHash: $0.headerHash) } ?? .empty
        writtenTip = tip
        publishedTip = tip
        writtenRaftIndex = file.lastHeader?.raftIndex ?? 0
    }

    /// The durable tip: how many blocks readers can read, and the last one's header hash.
    public var tip: ChainTip {
        lock.lock()
        defer { lock.unlock() }
        return publishedTip
    }

    /// The durable tip; the caller holds `lock`.
    var tipLocked: ChainTip { publishedTip }

    /// The number of durable blocks.
    public var height: UInt64 { tip.height }

    /// The tip including appended blocks not yet synced (the owner's view).
    public var appendedTip: ChainTip {
        lock.lock()
        defer { lock.unlock() }
        return writtenTip
    }

    /// The Raft log index of the last appended block (0 for an empty store).
    public var lastRaftIndex: UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return writtenRaftIndex
    }

    /// Appends the next block; it must continue the appended tip (number and previous hash). The block
    /// is durable and visible to readers after `sync()`.
    public func append(_ block: Block, raftIndex: UInt64) throws(OrdererError) {
        let headerHash = block.header.hash
        let record = BlockRecordHeader.record(for: block, raftIndex: raftIndex, headerHash: headerHash)
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else { throw .stopped }
        guard block.number == writtenTip.height, block.header.previousHash == writtenTip.lastHash else {
            throw .chainMismatch(
                "block \(block.number) (previous \(Hex.encode(block.header.previousHash.prefix(6)))) does not continue the "
                    + "stored chain at \(writtenTip)")
        }
        try file.append(records: [record])
        writtenTip = ChainTip(height: block.number + 1, lastHash: headerHash)
        writtenRaftIndex = raftIndex
    }

    /// Makes every appended block durable (fsync), then lets readers see them.
    public func sync() throws(OrdererError) {
        lock.lock()
        let target = writtenTip
        let handle = file.file
        lock.unlock()
        guard target != tip else { return }
        try handle.sync()
        lock.lock()
        publishedTip = target
        let ready = waiters.filter { $0.number < target.height }
        waiters.removeAll { $0.number < target.height }
        lock.unlock()
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Block `number`, as stored (with this orderer's signature). Throws `blockNotFound` beyond the
    /// durable tip and `corruptStorage` when the record's checksum or encoding is wrong.
    public func block(_ number: UInt64) throws(OrdererError) -> Block {
        let (payload, header, path) = try record(of: number)
        do {
            return try Block(canonicalBytes: payload)
        } catch {
            throw .corruptStorage(path: path, offset: 0, reason: "block \(header.number) does not decode: \(error)")
        }
    }

    /// The header hash of block `number`, read from its record header: a durable block, or with
    /// `includingUnsynced` (for the owner) any appended block.
    public func headerHash(of number: UInt64, includingUnsynced: Bool = false) throws(OrdererError) -> [UInt8] {
        let (handle, range) = try locate(number, includingUnsynced: includingUnsynced)
        let bytes = try handle.read(at: range.lowerBound, count: BlockRecordHeader.size)
        do {
            return try BlockRecordHeader(parsing: bytes[...]).headerHash
        } catch {
            throw .corruptStorage(path: handle.path, offset: range.lowerBound, reason: "record header of block \(number) is damaged")
        }
    }

    /// The blocks from `start` on, at most `maxCount` of them, and — beyond the first, which is always
    /// included — only as many as keep their encoding as a `BlockList` (a `u32` count, then each block
    /// as stored: header, envelopes, signatures) within `maxBytes`. For catch-up answers, which must fit
    /// one frame. Empty when `start` is at or beyond the tip.
    public func blocks(startingAt start: UInt64, maxCount: Int, maxBytes: Int) throws(OrdererError) -> [Block] {
        var result: [Block] = []
        var bytes = 4
        var number = start
        let height = self.height
        while number < height, result.count < maxCount {
            let (payload, header, path) = try record(of: number)
            bytes += payload.count
            if !result.isEmpty, bytes > maxBytes { break }
            do {
                result.append(try Block(canonicalBytes: payload))
            } catch {
                throw .corruptStorage(path: path, offset: 0, reason: "block \(header.number) does not decode: \(error)")
            }
            number += 1
        }
        return result
    }

    /// Closes the store for readers: waiting deliver streams end with `OrdererError.stopped`.
    public func close() {
        lock.lock()
        isClosed = true
        let waiting = waiters
        waiters = []
        lock.unlock()
        for waiter in waiting { waiter.continuation.resume(throwing: OrdererError.stopped) }
    }

    private func locate(_ number: UInt64, includingUnsynced: Bool = false) throws(OrdererError) -> (PositionedFile, Range<UInt64>) {
        lock.lock()
        defer { lock.unlock() }
        let height = includingUnsynced ? writtenTip.height : publishedTip.height
        guard number < height, let range = file.recordRange(of: number) else {
            throw .blockNotFound(number: number, height: height)
        }
        return (file.file, range)
    }

    private func record(of number: UInt64) throws(OrdererError) -> (ArraySlice<UInt8>, BlockRecordHeader, String) {
        let (handle, range) = try locate(number)
        let bytes = try handle.read(at: range.lowerBound, count: Int(range.upperBound - range.lowerBound))
        let header: BlockRecordHeader
        do {
            header = try BlockRecordHeader(parsing: bytes[...])
        } catch {
            throw .corruptStorage(path: handle.path, offset: range.lowerBound, reason: "record header of block \(number) is damaged")
        }
        let payload = bytes[BlockRecordHeader.size...]
        guard header.number == number, payload.count == Int(header.length), CRC32C.checksum(payload) == header.payloadCRC else {
            throw .corruptStorage(path: handle.path, offset: range.lowerBound, reason: "record of block \(number) fails its checksum")
        }
        return (payload, header, handle.path)
    }
}
