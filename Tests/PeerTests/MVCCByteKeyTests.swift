import Committer
import Ledger
import PeerTestSupport
import Testing
import WeftCore

/// MVCC against a real SQLite ledger with keys that are equal as Swift `String`s but different bytes:
/// "é" (U+00E9) and "e\u{301}" are two keys in state, so validation must treat them as two.
@Suite struct MVCCByteKeyTests {
    static let composed = "caf\u{E9}"
    static let decomposed = "cafe\u{301}"

    /// A ledger whose state holds `keys` in namespace `cc`, each written by block 0.
    func ledger(holding keys: [String]) throws -> Ledger {
        let ledger = try TestNetwork.temporaryLedger()
        let writes = keys.map { KVWrite(namespace: "cc", key: $0, value: [1]) }
        try ledger.commitNext(data: [[0]], transactions: [CommittedTransaction(txID: "seed", validationCode: .valid, writes: writes)])
        return ledger
    }

    func validate(_ sets: [ReadWriteSet], on ledger: Ledger) throws -> [ValidationCode] {
        try ledger.read { snapshot in
            try MVCCValidator().validate(readWriteSets: sets, codes: sets.map { _ in .valid }, against: snapshot)
        }
    }

    @Test func spellingsAreDistinctStringsButEqualSwiftStrings() {
        #expect(Self.composed == Self.decomposed, "the premise: Swift String equality is canonical equivalence")
        #expect(!Self.composed.hasSameUTF8(as: Self.decomposed))
        #expect(StateKey(namespace: "cc", key: Self.composed) != StateKey(namespace: "cc", key: Self.decomposed))
        #expect(Set([StateKey(namespace: "cc", key: Self.composed), StateKey(namespace: "cc", key: Self.decomposed)]).count == 2)
    }

    /// Committed {K2: v}; tx0 reads K1 as absent (true), tx1 reads K2 as absent (stale) and writes it.
    @Test func staleReadOfOneSpellingIsNotCheckedAgainstTheOther() throws {
        let ledger = try ledger(holding: [Self.decomposed])
        let version = Version(blockNumber: 0, txNumber: 0)
        let tx0 = ReadWriteSet(reads: [KVRead(namespace: "cc", key: Self.composed, version: nil)])
        let tx1 = ReadWriteSet(reads: [KVRead(namespace: "cc", key: Self.decomposed, version: nil)],
                               writes: [KVWrite(namespace: "cc", key: Self.decomposed, value: [2])])
        #expect(try validate([tx0, tx1], on: ledger) == [.valid, .mvccReadConflict])
        let current = ReadWriteSet(reads: [KVRead(namespace: "cc", key: Self.decomposed, version: version),
                                           KVRead(namespace: "cc", key: Self.composed, version: nil)])
        #expect(try validate([current], on: ledger) == [.valid])
    }

    @Test func writeOfOneSpellingDoesNotConflictWithReadOfTheOther() throws {
        let ledger = try ledger(holding: [])
        let writer = ReadWriteSet(writes: [KVWrite(namespace: "cc", key: Self.composed, value: [2])])
        let reader = ReadWriteSet(reads: [KVRead(namespace: "cc", key: Self.decomposed, version: nil)])
        #expect(try validate([writer, reader], on: ledger) == [.valid, .valid])
    }

    /// "cafe\u{301}" lies in ["cafd", "caff") by bytes (0x65 < 0x66), though as a `String` it is "café",
    /// which sorts after "caff": an earlier in-block write of it is a phantom for that range.
    @Test func inBlockPhantomIsFoundByByteOrder() throws {
        let ledger = try ledger(holding: [])
        let inserter = ReadWriteSet(writes: [KVWrite(namespace: "cc", key: Self.decomposed, value: [2])])
        let scanner = ReadWriteSet(rangeReads: [RangeRead(namespace: "cc", startKey: "cafd", endKey: "caff", results: [])])
        #expect(try validate([inserter, scanner], on: ledger) == [.valid, .phantomReadConflict])
        let outside = ReadWriteSet(writes: [KVWrite(namespace: "cc", key: Self.composed, value: [2])])
        #expect(try validate([outside, scanner], on: ledger) == [.valid, .valid], "0xC3 sorts after \"caff\" by bytes")
    }

    /// The range saw one spelling; state holds the other: the re-scan differs, by bytes.
    @Test func rescanComparesKeysByBytes() throws {
        let ledger = try ledger(holding: [Self.composed])
        let version = Version(blockNumber: 0, txNumber: 0)
        let seenOther = RangeRead(namespace: "cc", startKey: "caf", endKey: "cag",
                                  results: [KVRead(namespace: "cc", key: Self.decomposed, version: version)])
        #expect(try validate([ReadWriteSet(rangeReads: [seenOther])], on: ledger) == [.phantomReadConflict])
        let seenSame = RangeRead(namespace: "cc", startKey: "caf", endKey: "cag",
                                 results: [KVRead(namespace: "cc", key: Self.composed, version: version)])
        #expect(try validate([ReadWriteSet(rangeReads: [seenSame])], on: ledger) == [.valid])
    }
}
