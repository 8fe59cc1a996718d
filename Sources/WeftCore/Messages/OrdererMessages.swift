/// An orderer's state, for `weft network status` and health checks (`ordererStatus`).
///
/// Canonical layout: `nodeID` (u64), `height` (u64: blocks stored), `leader` (u64, 0 = none known),
/// `term` (u64), `isLeader` (bool).
public struct OrdererStatusReport: Hashable, Sendable, CanonicalCodable {
    public var nodeID: UInt64
    public var height: UInt64
    public var leader: UInt64
    public var term: UInt64
    public var isLeader: Bool

    public init(nodeID: UInt64, height: UInt64, leader: UInt64, term: UInt64, isLeader: Bool) {
        self.nodeID = nodeID
        self.height = height
        self.leader = leader
        self.term = term
        self.isLeader = isLeader
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(nodeID)
        writer.write(height)
        writer.write(leader)
        writer.write(term)
        writer.write(isLeader)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        nodeID = try reader.readUInt64()
        height = try reader.readUInt64()
        leader = try reader.readUInt64()
        term = try reader.readUInt64()
        isLeader = try reader.readBool()
    }
}

/// An orderer asks another for stored blocks while catching up (`fetchBlocks`); the answer is a
/// `list<Block>`.
///
/// Canonical layout: `start` (u64), `maxCount` (u32).
public struct FetchBlocks: Hashable, Sendable, CanonicalCodable {
    public var start: UInt64
    public var maxCount: UInt32

    public init(start: UInt64, maxCount: UInt32) {
        self.start = start
        self.maxCount = maxCount
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(start)
        writer.write(maxCount)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        start = try reader.readUInt64()
        maxCount = try reader.readUInt32()
    }
}

/// A list of blocks as one message body: `list<Block>`.
public struct BlockList: Hashable, Sendable, CanonicalCodable {
    public var blocks: [Block]

    public init(_ blocks: [Block]) { self.blocks = blocks }

    public func encode(to writer: inout ByteWriter) { writer.write(blocks) }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        blocks = try reader.readArray(of: Block.self, minimumElementSize: 20)
    }
}
