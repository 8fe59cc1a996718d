import WeftCore

/// Where an orderer's chain ends: how many blocks it holds and the header hash of the last one.
///
/// It is the whole state a Raft snapshot carries (the block store is the orderer's state machine, and
/// a chain is identified by its tip), and the target of a catch-up: a node restored from a snapshot
/// fetches blocks until its own tip equals the snapshot's.
///
/// Canonical layout: `height` (u64: the number of blocks, i.e. the next block's number),
/// `lastHash` (bytes: the header hash of block `height - 1`; the genesis previous hash, 32 zero bytes,
/// when `height` is 0).
public struct ChainTip: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    /// The number of blocks; the next block's number.
    public var height: UInt64
    /// The header hash of the last block (`BlockHeader.genesisPreviousHash` for an empty chain), which
    /// the next block's `previousHash` must equal.
    public var lastHash: [UInt8]

    /// Creates a tip.
    public init(height: UInt64, lastHash: [UInt8]) {
        self.height = height
        self.lastHash = lastHash
    }

    /// The tip of a chain without blocks.
    public static let empty = ChainTip(height: 0, lastHash: BlockHeader.genesisPreviousHash)

    public var description: String {
        "height \(height) (last \(Hex.encode(lastHash.prefix(6))))"
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(height)
        writer.write(lengthPrefixed: lastHash)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        height = try reader.readUInt64()
        let hashOffset = reader.offset
        lastHash = try reader.readLengthPrefixed()
        guard lastHash.count == 32 else {
            throw .invalidValue(offset: hashOffset, "a chain tip's hash has 32 bytes, not \(lastHash.count)")
        }
    }
}
