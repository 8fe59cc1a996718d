import Foundation
import Raft
import Testing
import WeftCore

@Suite struct FileRaftStorageTests {
    static func entries(_ range: ClosedRange<UInt64>, term: UInt64) -> [Entry] {
        range.map { Entry(term: term, index: $0, data: Array("entry-\($0)".utf8)) }
    }

    @Test func crc32cCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func writeReopenAndOverwriteASuffix() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let storage = try FileRaftStorage(directory: directory.path)
            #expect(try storage.load() == .empty)
            try storage.save(hardState: HardState(term: 1, vote: 1, commit: 0), entries: Self.entries(1...5, term: 1),
                             snapshot: nil, sync: true)
            // A new leader replaces entries 4 and 5.
            try storage.save(hardState: HardState(term: 2, vote: 2, commit: 3), entries: Self.entries(4...4, term: 2),
                             snapshot: nil, sync: true)
        }
        let reopened = try FileRaftStorage(directory: directory.path)
        let state = try reopened.load()
        #expect(state.hardState == HardState(term: 2, vote: 2, commit: 3))
        #expect(state.entries == Self.entries(1...3, term: 1) + Self.entries(4...4, term: 2))
        #expect(reopened.recoveredTornBytes == 0)
        #expect(throws: RaftError.self) {
            try reopened.save(hardState: nil, entries: Self.entries(9...9, term: 2), snapshot: nil, sync: true)
        }
    }

    @Test func commitAloneIsHeldBackUntilTheNextTermOrVoteChangeOrFlush() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let storage = try FileRaftStorage(directory: directory.path)
            try storage.save(hardState: HardState(term: 1, vote: 1, commit: 0), entries: Self.entries(1...3, term: 1),
                             snapshot: nil, sync: true)
            try storage.save(hardState: HardState(term: 1, vote: 1, commit: 3), entries: [], snapshot: nil, sync: false)
            #expect(try storage.load().hardState.commit == 3)
        }
        #expect(try FileRaftStorage(directory: directory.path).load().hardState.commit == 0)
        do {
            let storage = try FileRaftStorage(directory: directory.path)
            try storage.save(hardState: HardState(term: 1, vote: 1, commit: 2), entries: [], snapshot: nil, sync: false)
            try storage.flush()
        }
        #expect(try FileRaftStorage(directory: directory.path).load().hardState.commit == 2)
    }

    /// Shapes a crash can leave at the end of the log: a record cut short, a header cut short, zeros
    /// after the last record, a final record whose bytes did not all reach the disk.
    @Test(arguments: ["cut payload", "cut header", "zeros", "bad final checksum"])
    func tornTailIsCutOff(shape: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let storage = try FileRaftStorage(directory: directory.path)
            try storage.save(hardState: HardState(term: 1, vote: 1, commit: 2), entries: Self.entries(1...3, term: 1),
                             snapshot: nil, sync: true)
        }
        let complete = try directory.bytes("raft.log")
        let lastRecordSize = 8 + Self.entries(3...3, term: 1)[0].encodedSize
        var damaged: [UInt8]
        switch shape {
        case "cut payload": damaged = Array(complete.dropLast(5))
        case "cut header": damaged = Array(complete.dropLast(lastRecordSize - 3))
        case "zeros": damaged = Array(complete.dropLast(lastRecordSize)) + [UInt8](repeating: 0, count: 100)
        default:
            damaged = complete
            damaged[damaged.count - 1] ^= 0xff
        }
        try directory.write("raft.log", damaged)
        let storage = try FileRaftStorage(directory: directory.path)
        #expect(storage.recoveredTornBytes == UInt64(damaged.count - (complete.count - lastRecordSize)))
        #expect(try storage.load().entries == Self.entries(1...2, term: 1))
        // The log goes on from the cut, and the repair itself was durable.
        try storage.save(hardState: nil, entries: Self.entries(3...4, term: 1), snapshot: nil, sync: true)
        let reopened = try FileRaftStorage(directory: directory.path)
        #expect(reopened.recoveredTornBytes == 0)
        #expect(try reopened.load().entries == Self.entries(1...4, term: 1))
    }

    @Test func corruptionBeforeTheTailIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let storage = try FileRaftStorage(directory: directory.path)
            try storage.save(hardState: HardState(term: 1), entries: Self.entries(1...3, term: 1), snapshot: nil, sync: true)
        }
        var bytes = try directory.bytes("raft.log")
        bytes[8 + 8 + 3] ^= 0x01  // inside the first record's payload
        try directory.write("raft.log", bytes)
        #expect(throws: RaftError.corruptStorage(
            path: directory.file("raft.log"), offset: 8, reason: "record checksum mismatch")) {
            try FileRaftStorage(directory: directory.path)
        }
        try directory.write("raft.log", Array("NOTALOG!".utf8) + bytes.dropFirst(8))
        #expect(throws: RaftError.corruptStorage(
            path: directory.file("raft.log"), offset: 0, reason: "not a Weft Raft log (bad header)")) {
            try FileRaftStorage(directory: directory.path)
        }
    }

    @Test func tornHardStateWriteKeepsThePreviousState() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let storage = try FileRaftStorage(directory: directory.path)
            try storage.save(hardState: HardState(term: 1, vote: 1), entries: [], snapshot: nil, sync: true)
            try storage.save(hardState: HardState(term: 2, vote: 3), entries: [], snapshot: nil, sync: true)
        }
        var bytes = try directory.bytes("raft.hardstate")
        #expect(bytes.count == 128)
        bytes[10] ^= 0xff  // sequence 2 went to slot 0: tear it
        try directory.write("raft.hardstate", bytes)
        #expect(try FileRaftStorage(directory: directory.path).load().hardState == HardState(term: 1, vote: 1))
        bytes[64 + 10] ^= 0xff
        try directory.write("raft.hardstate", bytes)
        #expect(throws: RaftError.corruptStorage(
            path: directory.file("raft.hardstate"), offset: 0, reason: "neither hard-state slot is valid")) {
            try FileRaftStorage(directory: directory.path)
        }
    }

    @Test func compactionAndReceivedSnapshotsSurviveReopening() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let local = Snapshot(metadata: SnapshotMetadata(index: 3, term: 1, voters: [1, 2, 3]), data: [3])
        do {
            let storage = try FileRaftStorage(directory: directory.path)
            try storage.save(hardState: HardState(term: 1, commit: 5), entries: Self.entries(1...5, term: 1),
                             snapshot: nil, sync: true)
            try storage.compact(to: local)
            #expect(throws: RaftError.self) { try storage.compact(to: local) }
        }
        var state = try FileRaftStorage(directory: directory.path).load()
        #expect(state.snapshot == local)
        #expect(state.entries == Self.entries(4...5, term: 1))
        let received = Snapshot(metadata: SnapshotMetadata(index: 9, term: 2, voters: [1, 2, 3]), data: [9])
        do {
            let storage = try FileRaftStorage(directory: directory.path)
            _ = try storage.load()
            try storage.save(hardState: HardState(term: 2, commit: 9), entries: Self.entries(10...10, term: 2),
                             snapshot: received, sync: true)
        }
        state = try FileRaftStorage(directory: directory.path).load()
        #expect(state.snapshot == received)
        #expect(state.entries == Self.entries(10...10, term: 2))
        #expect(state.hardState == HardState(term: 2, commit: 9))
    }

    /// A crash after the snapshot file was replaced but before the log was rewritten: opening finishes
    /// the compaction (matching entry at the snapshot) or drops the stale log (received snapshot).
    @Test func interruptedSnapshotWritesAreFinishedOnOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let storage = try FileRaftStorage(directory: directory.path)
            try storage.save(hardState: HardState(term: 1, commit: 5), entries: Self.entries(1...5, term: 1),
                             snapshot: nil, sync: true)
        }
        let log = try directory.bytes("raft.log")
        let compacted = Snapshot(metadata: SnapshotMetadata(index: 2, term: 1, voters: [1]), data: [])
        try directory.write("raft.snapshot", Self.snapshotFile(compacted))
        var state = try FileRaftStorage(directory: directory.path).load()
        #expect(state.entries == Self.entries(3...5, term: 1))
        try directory.write("raft.log", log)
        let received = Snapshot(metadata: SnapshotMetadata(index: 4, term: 3, voters: [1]), data: [])
        try directory.write("raft.snapshot", Self.snapshotFile(received))
        state = try FileRaftStorage(directory: directory.path).load()
        #expect(state.entries.isEmpty)
        #expect(state.snapshot == received)
        #expect(state.hardState.term == 3)
    }

    static func snapshotFile(_ snapshot: Snapshot) -> [UInt8] {
        let payload = snapshot.canonicalBytes
        var writer = ByteWriter()
        writer.write(raw: Array("WRAFTSN1".utf8))
        writer.write(CRC32C.checksum(payload))
        writer.write(raw: payload)
        return writer.bytes
    }
}
