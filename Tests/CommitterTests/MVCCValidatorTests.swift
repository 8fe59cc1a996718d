import Committer
import Testing
import WeftCore

/// Committed state as a sorted dictionary, for MVCC tests.
struct VersionTable: CommittedVersions {
    var table: [StateKey: Version]

    func committedVersions(of keys: [StateKey]) throws -> [StateKey: Version] {
        table.filter { keys.contains($0.key) }
    }

    func keyVersions(namespace: String, from start: String, to end: String) throws -> [(key: String, version: Version)] {
        table.filter { $0.key.namespace == namespace && $0.key.key >= start && (end.isEmpty || $0.key.key < end) }
            .sorted { $0.key < $1.key }.map { ($0.key.key, $0.value) }
    }
}

@Suite struct MVCCValidatorTests {
    static let v1 = Version(blockNumber: 1, txNumber: 0)
    static let v2 = Version(blockNumber: 2, txNumber: 3)
    let state = VersionTable(table: [StateKey(namespace: "cc", key: "a"): v1, StateKey(namespace: "cc", key: "c"): v2])

    func read(_ key: String, _ version: Version?) -> KVRead { KVRead(namespace: "cc", key: key, version: version) }
    func write(_ key: String) -> KVWrite { KVWrite(namespace: "cc", key: key, value: [1]) }

    func validate(_ sets: [ReadWriteSet?], codes: [ValidationCode]? = nil) throws -> [ValidationCode] {
        try MVCCValidator().validate(readWriteSets: sets, codes: codes ?? sets.map { _ in .valid }, against: state)
    }

    @Test func currentReadsAreValid() throws {
        let codes = try validate([ReadWriteSet(reads: [read("a", Self.v1), read("b", nil)], writes: [write("b")])])
        #expect(codes == [.valid])
    }

    @Test func staleReadAgainstCommittedStateConflicts() throws {
        #expect(try validate([ReadWriteSet(reads: [read("c", Self.v1)])]) == [.mvccReadConflict])
        #expect(try validate([ReadWriteSet(reads: [read("a", nil)])]) == [.mvccReadConflict], "key was created since")
        #expect(try validate([ReadWriteSet(reads: [read("zz", Self.v1)])]) == [.mvccReadConflict], "key was deleted since")
    }

    @Test func readOfKeyWrittenEarlierInBlockConflicts() throws {
        let first = ReadWriteSet(reads: [read("a", Self.v1)], writes: [write("a")])
        let second = ReadWriteSet(reads: [read("a", Self.v1)], writes: [write("x")])
        #expect(try validate([first, second]) == [.valid, .mvccReadConflict])
    }

    @Test func writesOfInvalidTransactionsDoNotCount() throws {
        let first = ReadWriteSet(writes: [write("a")])
        let second = ReadWriteSet(reads: [read("a", Self.v1)])
        #expect(try validate([first, second], codes: [.endorsementPolicyFailure, .valid]) == [.endorsementPolicyFailure, .valid])
    }

    @Test func phantomWhenRangeChanged() throws {
        let seen = RangeRead(namespace: "cc", startKey: "a", endKey: "d", results: [read("a", Self.v1), read("c", Self.v2)])
        #expect(try validate([ReadWriteSet(rangeReads: [seen])]) == [.valid])
        let missingOne = RangeRead(namespace: "cc", startKey: "a", endKey: "d", results: [read("a", Self.v1)])
        #expect(try validate([ReadWriteSet(rangeReads: [missingOne])]) == [.phantomReadConflict])
        let staleVersion = RangeRead(namespace: "cc", startKey: "a", endKey: "d", results: [read("a", Self.v1), read("c", Self.v1)])
        #expect(try validate([ReadWriteSet(rangeReads: [staleVersion])]) == [.phantomReadConflict])
    }

    @Test func phantomWhenEarlierTransactionInBlockInsertsIntoRange() throws {
        let inserter = ReadWriteSet(writes: [write("b")])
        let scanner = ReadWriteSet(rangeReads: [RangeRead(namespace: "cc", startKey: "a", endKey: "d",
                                                          results: [read("a", Self.v1), read("c", Self.v2)])])
        #expect(try validate([inserter, scanner]) == [.valid, .phantomReadConflict])
        #expect(try validate([scanner, inserter]) == [.valid, .valid], "a later insert does not affect an earlier scan")
    }

    @Test func missingReadWriteSetIsBad() throws {
        #expect(try validate([nil]) == [.badRWSet])
    }
}
