import WeftCore

/// A node's identity in a Raft cluster. Ids are non-zero and fixed by the cluster configuration.
public typealias NodeID = UInt64

/// What a log entry carries.
public enum EntryKind: UInt8, Hashable, Sendable {
    /// Data proposed by the application.
    case normal = 0
    /// The empty entry a new leader appends so that it can commit entries of earlier terms
    /// (Raft paper §5.4.2, figure 8). Applications skip it.
    case leaderNoop = 1
    /// The cluster's voters from this entry on (`RaftNode.proposeMembership`); data: list<u64>.
    case membership = 2
}

/// One entry of the replicated log.
///
/// Canonical layout: `term` (u64), `index` (u64), `kind` (u8: 0 normal, 1 leader no-op), `data` (bytes).
public struct Entry: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    /// The term of the leader that created the entry.
    public var term: UInt64
    /// The entry's position in the log, starting at 1.
    public var index: UInt64
    /// Whether the entry carries application data or is a leader's no-op.
    public var kind: EntryKind
    /// The application's bytes (empty for a no-op).
    public var data: [UInt8]

    /// Creates an entry.
    public init(term: UInt64, index: UInt64, kind: EntryKind = .normal, data: [UInt8]) {
        self.term = term
        self.index = index
        self.kind = kind
        self.data = data
    }

    /// The size in bytes of the entry's canonical encoding.
    public var encodedSize: Int { Self.fixedEncodedSize + data.count }

    /// The encoded size of an entry with no data.
    static let fixedEncodedSize = 8 + 8 + 1 + 4

    public var description: String {
        switch kind {
        case .leaderNoop: "\(index)@\(term):noop"
        case .membership: "\(index)@\(term):voters"
        case .normal: "\(index)@\(term):\(data.count)B"
        }
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(term)
        writer.write(index)
        writer.write(kind.rawValue)
        writer.write(lengthPrefixed: data)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        term = try reader.readUInt64()
        index = try reader.readUInt64()
        let kindOffset = reader.offset
        let rawKind = try reader.readUInt8()
        guard let kind = EntryKind(rawValue: rawKind) else {
            throw .invalidValue(offset: kindOffset, "unknown entry kind \(rawKind)")
        }
        self.kind = kind
        data = try reader.readLengthPrefixed()
    }
}
