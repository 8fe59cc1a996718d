import Raft
import WeftCore

/// The fixed-size header in front of every block in the block file (docs/encoding.md, "Orderer"):
///
/// | field | type | meaning |
/// |---|---|---|
/// | `length` | u32 | bytes of the payload (the block's canonical encoding) |
/// | `payloadCRC` | u32 | CRC-32C of the payload |
/// | `number` | u64 | the block's number |
/// | `raftIndex` | u64 | the Raft log index the block was applied from |
/// | `headerHash` | 32 bytes | the block's header hash |
/// | `headerCRC` | u32 | CRC-32C of the 56 bytes above |
///
/// The header has its own checksum so that opening the store can walk from header to header without
/// reading the payloads, and still tell a torn tail from a corrupt file.
struct BlockRecordHeader: Equatable {
    static let size = 60
    static let checkedSize = 56

    var length: UInt32
    var payloadCRC: UInt32
    var number: UInt64
    var raftIndex: UInt64
    var headerHash: [UInt8]

    /// The header's bytes, checksum included.
    var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.write(length)
        writer.write(payloadCRC)
        writer.write(number)
        writer.write(raftIndex)
        writer.write(raw: headerHash)
        writer.write(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// Why header bytes were refused.
    enum Problem: Error, Equatable {
        case truncated
        case checksumMismatch
    }

    /// Parses the first `size` bytes of `bytes`.
    init(parsing bytes: ArraySlice<UInt8>) throws(Problem) {
        guard bytes.count >= Self.size else { throw .truncated }
        let start = bytes.startIndex
        let checked = bytes[start..<start + Self.checkedSize]
        var reader = ByteReader(bytes[start..<start + Self.size])
        do {
            length = try reader.readUInt32()
            payloadCRC = try reader.readUInt32()
            number = try reader.readUInt64()
            raftIndex = try reader.readUInt64()
            headerHash = try reader.readRaw(count: 32)
            guard try reader.readUInt32() == CRC32C.checksum(checked) else { throw Problem.checksumMismatch }
        } catch let problem as Problem {
            throw problem
        } catch {
            throw .truncated
        }
    }

    init(length: UInt32, payloadCRC: UInt32, number: UInt64, raftIndex: UInt64, headerHash: [UInt8]) {
        self.length = length
        self.payloadCRC = payloadCRC
        self.number = number
        self.raftIndex = raftIndex
        self.headerHash = headerHash
    }

    /// The record for `block`: its header and its payload (the block's canonical bytes), ready to write.
    static func record(for block: Block, raftIndex: UInt64, headerHash: [UInt8]) -> (header: BlockRecordHeader, payload: [UInt8]) {
        let payload = block.encodedBytes
        let header = BlockRecordHeader(
            length: UInt32(payload.count), payloadCRC: CRC32C.checksum(payload), number: block.number,
            raftIndex: raftIndex, headerHash: headerHash)
        return (header, payload)
    }
}
