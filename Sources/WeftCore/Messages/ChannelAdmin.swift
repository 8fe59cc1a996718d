/// One channel a node has joined, as `channelList` reports it.
///
/// Canonical layout: `name` (string), `height` (u64), `genesisHash` (bytes: the header hash of block 0),
/// `status` (string: `active`, or why the channel is not running).
public struct JoinedChannel: Hashable, Sendable, CanonicalCodable {
    public var name: String
    public var height: UInt64
    public var genesisHash: [UInt8]
    public var status: String

    public init(name: String, height: UInt64, genesisHash: [UInt8], status: String) {
        self.name = name
        self.height = height
        self.genesisHash = genesisHash
        self.status = status
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(name)
        writer.write(height)
        writer.write(lengthPrefixed: genesisHash)
        writer.write(status)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        name = try reader.readString()
        height = try reader.readUInt64()
        genesisHash = try reader.readLengthPrefixed()
        status = try reader.readString()
    }
}

/// The answer to `channelList` and `channelJoin`: the node's channels, sorted by name.
///
/// Canonical layout: `channels` (list<JoinedChannel>).
public struct JoinedChannels: Hashable, Sendable, CanonicalCodable {
    public var channels: [JoinedChannel]

    public init(_ channels: [JoinedChannel]) { self.channels = channels }

    public func encode(to writer: inout ByteWriter) { writer.write(channels) }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        channels = try reader.readArray(minimumElementSize: 20)
    }
}

/// Asks a node to leave a channel (`channelRemove`).
///
/// Canonical layout: `name` (string), `deleteData` (bool: also delete its ledger or Raft state and block store).
public struct ChannelRemoval: Hashable, Sendable, CanonicalCodable {
    public var name: String
    public var deleteData: Bool

    public init(name: String, deleteData: Bool) {
        self.name = name
        self.deleteData = deleteData
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(name)
        writer.write(deleteData)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        name = try reader.readString()
        deleteData = try reader.readBool()
    }
}
