import WeftCore

/// The wire layout of Raft messages (docs/encoding.md, "Raft"): `from` (u64), `to` (u64), `term` (u64),
/// a one-byte body tag, then the body's fields in declaration order.
extension Message: CanonicalCodable {
    public func encode(to writer: inout ByteWriter) {
        writer.write(from)
        writer.write(to)
        writer.write(term)
        body.encode(to: &writer)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        from = try reader.readUInt64()
        to = try reader.readUInt64()
        term = try reader.readUInt64()
        body = try MessageBody(from: &reader)
    }
}

extension MessageBody: CanonicalCodable {
    /// The tag byte of each body kind.
    enum Tag: UInt8 {
        case requestVote = 1
        case voteResponse = 2
        case append = 3
        case appendAccepted = 4
        case appendRejected = 5
        case heartbeat = 6
        case heartbeatResponse = 7
        case installSnapshot = 8
        case timeoutNow = 9
    }

    var tag: Tag {
        switch self {
        case .requestVote: .requestVote
        case .voteResponse: .voteResponse
        case .append: .append
        case .appendAccepted: .appendAccepted
        case .appendRejected: .appendRejected
        case .heartbeat: .heartbeat
        case .heartbeatResponse: .heartbeatResponse
        case .installSnapshot: .installSnapshot
        case .timeoutNow: .timeoutNow
        }
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(tag.rawValue)
        switch self {
        case let .requestVote(preVote, lastIndex, lastTerm, leaderTransfer):
            writer.write(preVote)
            writer.write(lastIndex)
            writer.write(lastTerm)
            writer.write(leaderTransfer)
        case let .voteResponse(preVote, granted):
            writer.write(preVote)
            writer.write(granted)
        case let .append(prevIndex, prevTerm, entries, commit):
            writer.write(prevIndex)
            writer.write(prevTerm)
            writer.write(entries)
            writer.write(commit)
        case let .appendAccepted(index):
            writer.write(index)
        case let .appendRejected(rejectedIndex, hintIndex, hintTerm):
            writer.write(rejectedIndex)
            writer.write(hintIndex)
            writer.write(hintTerm)
        case let .heartbeat(commit):
            writer.write(commit)
        case .heartbeatResponse, .timeoutNow:
            break
        case let .installSnapshot(snapshot):
            writer.write(snapshot)
        }
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let tagOffset = reader.offset
        let rawTag = try reader.readUInt8()
        guard let tag = Tag(rawValue: rawTag) else {
            throw .invalidValue(offset: tagOffset, "unknown Raft message tag \(rawTag)")
        }
        switch tag {
        case .requestVote:
            self = .requestVote(
                preVote: try reader.readBool(), lastIndex: try reader.readUInt64(), lastTerm: try reader.readUInt64(),
                leaderTransfer: try reader.readBool())
        case .voteResponse:
            self = .voteResponse(preVote: try reader.readBool(), granted: try reader.readBool())
        case .append:
            self = .append(
                prevIndex: try reader.readUInt64(),
                prevTerm: try reader.readUInt64(),
                entries: try reader.readArray(of: Entry.self, minimumElementSize: Entry.fixedEncodedSize),
                commit: try reader.readUInt64())
        case .appendAccepted:
            self = .appendAccepted(index: try reader.readUInt64())
        case .appendRejected:
            self = .appendRejected(
                rejectedIndex: try reader.readUInt64(), hintIndex: try reader.readUInt64(), hintTerm: try reader.readUInt64())
        case .heartbeat:
            self = .heartbeat(commit: try reader.readUInt64())
        case .heartbeatResponse:
            self = .heartbeatResponse
        case .installSnapshot:
            self = .installSnapshot(try reader.read())
        case .timeoutNow:
            self = .timeoutNow
        }
    }
}
