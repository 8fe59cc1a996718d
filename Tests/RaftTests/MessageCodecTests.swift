import Raft
import Testing
import WeftCore

@Suite struct MessageCodecTests {
    static let snapshot = Snapshot(metadata: SnapshotMetadata(index: 9, term: 3, voters: [1, 2, 3]), data: [7, 7])
    static let bodies: [MessageBody] = [
        .requestVote(preVote: true, lastIndex: 10, lastTerm: 4),
        .requestVote(preVote: false, lastIndex: 0, lastTerm: 0, leaderTransfer: true),
        .voteResponse(preVote: false, granted: true),
        .append(prevIndex: 4, prevTerm: 2, entries: [
            Entry(term: 2, index: 5, kind: .leaderNoop, data: []), Entry(term: 3, index: 6, data: [1, 2, 3]),
        ], commit: 4),
        .append(prevIndex: 0, prevTerm: 0, entries: [], commit: 0),
        .appendAccepted(index: 17),
        .appendRejected(rejectedIndex: 10, hintIndex: 7, hintTerm: 4),
        .heartbeat(commit: 12),
        .heartbeatResponse,
        .installSnapshot(snapshot),
        .timeoutNow,
    ]

    @Test(arguments: bodies)
    func roundTrip(body: MessageBody) throws {
        let message = Message(from: 1, to: 2, term: 5, body: body)
        #expect(try Message(canonicalBytes: message.canonicalBytes) == message)
    }

    /// The layout in docs/encoding.md ("Raft"), byte for byte.
    @Test func goldenBytes() {
        let vote = Message(from: 1, to: 2, term: 5, body: .requestVote(preVote: true, lastIndex: 10, lastTerm: 4))
        #expect(Hex.encode(vote.canonicalBytes)
            == "0000000000000001" + "0000000000000002" + "0000000000000005" + "01" + "01"
            + "000000000000000a" + "0000000000000004" + "00")
        let append = Message(from: 1, to: 3, term: 2, body: .append(
            prevIndex: 1, prevTerm: 1, entries: [Entry(term: 2, index: 2, data: [0xab])], commit: 1))
        #expect(Hex.encode(append.canonicalBytes)
            == "0000000000000001" + "0000000000000003" + "0000000000000002" + "03"
            + "0000000000000001" + "0000000000000001" + "00000001"
            + "0000000000000002" + "0000000000000002" + "00" + "00000001" + "ab"
            + "0000000000000001")
        let hardState = HardState(term: 3, vote: 2, commit: 9)
        #expect(Hex.encode(hardState.canonicalBytes)
            == "0000000000000003" + "01" + "0000000000000002" + "0000000000000009")
    }

    @Test func everyTruncationThrows() {
        for body in Self.bodies {
            let bytes = Message(from: 1, to: 2, term: 5, body: body).canonicalBytes
            for length in 0..<bytes.count {
                #expect(throws: DecodingError.self) { try Message(canonicalBytes: bytes.prefix(length)) }
            }
        }
    }

    @Test func implausibleTermsAndIndicesAreIgnored() throws {
        var node = try RaftNode(configuration: RaftConfiguration(id: 2, voters: [1, 2, 3]), random: SplitMix64(seed: 2))
        let huge = UInt64.max
        node.step(Message(from: 1, to: 2, term: huge, body: .heartbeat(commit: 0)))
        node.step(Message(from: 1, to: 2, term: 1, body: .installSnapshot(
            Snapshot(metadata: SnapshotMetadata(index: huge, term: 1, voters: [1, 2, 3]), data: []))))
        // Both messages were dropped whole: no term adopted, no snapshot installed.
        #expect(node.term == 0)
        #expect(node.status.lastIndex == 0)
        node.campaign()
        #expect(node.role == .preCandidate)
    }

    @Test func invalidFieldsAreNamed() {
        let header = [UInt8](repeating: 0, count: 24)
        #expect(throws: DecodingError.invalidValue(offset: 24, "unknown Raft message tag 99")) {
            try Message(canonicalBytes: header + [99])
        }
        #expect(throws: DecodingError.invalidValue(offset: 25, "boolean byte 2 is neither 0 nor 1")) {
            try Message(canonicalBytes: header + [2, 2, 0])
        }
        // An append claiming 2^32 - 1 entries in a few bytes is refused before any allocation.
        let hugeCount = header + [3] + [UInt8](repeating: 0, count: 16) + [0xff, 0xff, 0xff, 0xff]
        #expect(throws: DecodingError.lengthExceedsInput(offset: 41, length: 0xffff_ffff, remaining: 0)) {
            try Message(canonicalBytes: hugeCount)
        }
        let badKind = Entry(term: 1, index: 1, data: []).canonicalBytes.enumerated().map { $0.offset == 16 ? 9 : $0.element }
        #expect(throws: DecodingError.invalidValue(offset: 16, "unknown entry kind 9")) {
            try Entry(canonicalBytes: badKind)
        }
    }

    /// Random bytes and random corruptions of valid messages either decode to a message that re-encodes
    /// to the same bytes, or throw — and whatever decodes can be stepped into a node without trapping.
    @Test func hostileBytesNeverTrap() throws {
        var random = SplitMix64(seed: 2024)
        var leader = try RaftNode(configuration: RaftConfiguration(id: 1, voters: [1, 2, 3]), random: SplitMix64(seed: 1))
        leader.campaign()
        leader.step(Message(from: 2, to: 1, term: 1, body: .voteResponse(preVote: true, granted: true)))
        leader.step(Message(from: 2, to: 1, term: 1, body: .voteResponse(preVote: false, granted: true)))
        #expect(leader.role == .leader)
        var follower = try RaftNode(configuration: RaftConfiguration(id: 2, voters: [1, 2, 3]), random: SplitMix64(seed: 2))
        let valid = Self.bodies.map { Message(from: 1, to: 2, term: 5, body: $0).canonicalBytes }
        var decoded = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...80, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                if bytes.count > 24 { bytes[24] = UInt8.random(in: 1...9, using: &random) }
            } else {
                bytes = valid.randomElement(using: &random)!
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            guard var message = try? Message(canonicalBytes: bytes) else { continue }
            decoded += 1
            #expect(message.canonicalBytes == bytes)
            message.from = UInt64.random(in: 1...3, using: &random)
            message.to = 2
            follower.step(message)
            if let ready = follower.ready() { follower.advance(ready) }
            message.to = 1
            leader.step(message)
            if let ready = leader.ready() { leader.advance(ready) }
            for index in 0..<2 {
                var node = index == 0 ? leader : follower
                node.tick()
                _ = try? node.propose([1])
                if let ready = node.ready() { node.advance(ready) }
                if index == 0 { leader = node } else { follower = node }
            }
        }
        #expect(decoded > 1_000)
    }
}
