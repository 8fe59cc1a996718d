import WeftCore

/// Where a snapshot sits in the log: the last entry it covers, that entry's term, and the voters.
///
/// Canonical layout: `index` (u64), `term` (u64), `voters` (u32 count, then u64 each).
public struct SnapshotMetadata: Hashable, Sendable, CanonicalCodable {
    /// The index of the last entry the snapshot covers.
    public var index: UInt64
    /// The term of that entry.
    public var term: UInt64
    /// The cluster's voters when the snapshot was taken.
    public var voters: [NodeID]

    /// Creates snapshot metadata.
    public init(index: UInt64, term: UInt64, voters: [NodeID]) {
        self.index = index
        self.term = term
        self.voters = voters
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(index)
        writer.write(term)
        writer.write(voters)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        index = try reader.readUInt64()
        term = try reader.readUInt64()
        voters = try reader.readArray(of: UInt64.self, minimumElementSize: 8)
    }
}

/// The application's state up to and including `metadata.index`, which replaces the log's prefix.
/// The application produces the bytes (`RaftNode.compact(through:data:)`) and restores from them when a
/// `Ready` carries a snapshot received from the leader.
///
/// Canonical layout: `metadata` (SnapshotMetadata), `data` (bytes).
public struct Snapshot: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    /// Where the snapshot sits in the log.
    public var metadata: SnapshotMetadata
    /// The application's state, opaque to Raft.
    public var data: [UInt8]

    /// Creates a snapshot.
    public init(metadata: SnapshotMetadata, data: [UInt8]) {
        self.metadata = metadata
        self.data = data
    }

    /// The index of the last entry the snapshot covers.
    public var index: UInt64 { metadata.index }
    /// The term of that entry.
    public var term: UInt64 { metadata.term }

    public var description: String { "snapshot \(index)@\(term) \(data.count)B" }

    public func encode(to writer: inout ByteWriter) {
        writer.write(metadata)
        writer.write(lengthPrefixed: data)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        metadata = try reader.read()
        data = try reader.readLengthPrefixed()
    }
}
