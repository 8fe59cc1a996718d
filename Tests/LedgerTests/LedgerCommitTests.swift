import Foundation
import Testing
import WeftCore
import WeftCrypto
import LedgerTestSupport
@testable import Ledger

@Suite struct LedgerCommitTests {
    @Test func emptyLedgerHasGenesisChainInfo() throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.path())
        #expect(ledger.chainInfo == .empty)
        #expect(ledger.chainInfo.currentBlockHash == [UInt8](repeating: 0, count: 32))
        let snapshot = try ledger.snapshot()
        #expect(snapshot.chainInfo == .empty)
        #expect(try snapshot.block(number: 0) == nil)
    }

    @Test func commitStoresBlockStateAndCommitHash() throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.path())
        var builder = BlockBuilder()
        let (block, transactions) = builder.next([
            BlockBuilder.tx("t0", [("a", "1"), ("b", "2")]),
            BlockBuilder.tx("t1", [("a", "9")], code: .mvccReadConflict),
            BlockBuilder.tx("t2", [("c", "3"), ("a", "4")]),
        ])
        let stored = try ledger.commit(block, transactions: transactions)
        #expect(stored.metadata.validationFlags == [.valid, .mvccReadConflict, .valid])

        // commitHash(0) = SHA-256(32 zero bytes ‖ flags ‖ sorted net valid writes), written out by hand.
        var expected = ByteWriter()
        expected.write(raw: [UInt8](repeating: 0, count: 32))
        expected.write([ValidationCode.valid, .mvccReadConflict, .valid])
        expected.write([
            KVWrite(namespace: "cc", key: "a", value: Array("4".utf8)),
            KVWrite(namespace: "cc", key: "b", value: Array("2".utf8)),
            KVWrite(namespace: "cc", key: "c", value: Array("3".utf8)),
        ])
        #expect(stored.metadata.commitHash == SHA256.hash(expected.bytes))
        #expect(ledger.chainInfo == ChainInfo(height: 1, currentBlockHash: block.header.hash, commitHash: stored.metadata.commitHash))

        try ledger.read { snapshot in
            #expect(try snapshot.value(namespace: "cc", key: "a") == VersionedValue(value: Array("4".utf8), version: Version(blockNumber: 0, txNumber: 2)))
            #expect(try snapshot.value(namespace: "cc", key: "b")?.version == Version(blockNumber: 0, txNumber: 0))
            #expect(try snapshot.value(namespace: "other", key: "a") == nil)
            #expect(try snapshot.block(number: 0) == stored)
            #expect(try snapshot.block(hash: block.header.hash) == stored)
            let record = try #require(try snapshot.transaction(txID: "t1"))
            #expect(record.status == TransactionStatus(txID: "t1", blockNumber: 0, txNumber: 1, validationCode: .mvccReadConflict))
            #expect(record.envelope == block.data[1])
        }
    }

    @Test func pagesWrittenCountsWhatCommitsWrite() throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.path())
        let atOpen = ledger.pagesWritten
        var builder = BlockBuilder()
        let (small, smallTransactions) = builder.next([BlockBuilder.tx("t0", [("a", "1")])])
        try ledger.commit(small, transactions: smallTransactions)
        let afterSmall = ledger.pagesWritten
        // A block, its transaction row, state, history and savepoint: several pages, each written once.
        #expect(afterSmall - atOpen >= 3)
        let big = (0..<200).map { BlockBuilder.tx("b\($0)", [("key\($0)", String(repeating: "v", count: 400))]) }
        let (large, largeTransactions) = builder.next(big)
        try ledger.commit(large, transactions: largeTransactions)
        // 200 rows of > 400 bytes in state, history and envelopes cannot fit in a few 4 KiB pages.
        #expect(ledger.pagesWritten - afterSmall > 3 * (afterSmall - atOpen))
        ledger.close()
        #expect(ledger.pagesWritten == 0)
    }

    @Test func refusesBlocksThatDoNotLink() throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.path())
        var builder = BlockBuilder()
        let (first, firstTransactions) = builder.next([BlockBuilder.tx("t0", [("a", "1")])])
        try ledger.commit(first, transactions: firstTransactions)
        let (second, transactions) = builder.next([BlockBuilder.tx("t1", [("a", "2")])])

        #expect(throws: LedgerError.unexpectedBlockNumber(expected: 1, actual: 0)) {
            try ledger.commit(first, transactions: firstTransactions)
        }
        var wrongNumber = second
        wrongNumber.header.number = 5
        #expect(throws: LedgerError.unexpectedBlockNumber(expected: 1, actual: 5)) {
            try ledger.commit(wrongNumber, transactions: transactions)
        }
        var wrongPrevious = second
        wrongPrevious.header.previousHash = [UInt8](repeating: 7, count: 32)
        #expect(throws: LedgerError.previousHashMismatch(blockNumber: 1, expected: first.header.hash, actual: wrongPrevious.header.previousHash)) {
            try ledger.commit(wrongPrevious, transactions: transactions)
        }
        var wrongData = second
        wrongData.data[0] = [1, 2, 3]
        #expect(throws: LedgerError.dataHashMismatch(blockNumber: 1, expected: Block.dataHash(of: wrongData.data), actual: second.header.dataHash)) {
            try ledger.commit(wrongData, transactions: transactions)
        }
        #expect(throws: LedgerError.transactionCountMismatch(blockNumber: 1, envelopes: 1, transactions: 0)) {
            try ledger.commit(second, transactions: [])
        }
        var emptyKey = transactions
        emptyKey[0].writes[0].key = ""
        #expect(throws: LedgerError.invalidWrite(blockNumber: 1, txNumber: 0, reason: "empty key in namespace cc")) {
            try ledger.commit(second, transactions: emptyKey)
        }
        // Nothing of the refused blocks was written; the right block still commits.
        #expect(ledger.chainInfo.height == 1)
        try ledger.commit(second, transactions: transactions)
        #expect(ledger.chainInfo.height == 2)
    }

    @Test func deletesAndVersionsForMVCC() throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.path())
        var builder = BlockBuilder()
        let (b0, t0) = builder.next([BlockBuilder.tx("t0", [("a", "1"), ("b", "1")])])
        try ledger.commit(b0, transactions: t0)
        let before = try ledger.snapshot()
        let (b1, t1) = builder.next([BlockBuilder.tx("t1", [("x", "0")]), BlockBuilder.tx("t2", [("a", nil), ("c", "5")])])
        try ledger.commit(b1, transactions: t1)

        let keys = ["a", "b", "c", "zz"].map { StateKey(namespace: "cc", key: $0) }
        let now = try ledger.snapshot()
        #expect(try now.versions(of: keys) == [nil, Version(blockNumber: 0, txNumber: 0), Version(blockNumber: 1, txNumber: 1), nil])
        // The older snapshot still sees the state after block 0.
        #expect(before.chainInfo.height == 1)
        #expect(try before.versions(of: keys) == [Version(blockNumber: 0, txNumber: 0), Version(blockNumber: 0, txNumber: 0), nil, nil])
        before.close()
        #expect(throws: LedgerError.closed) { try before.value(namespace: "cc", key: "a") }
    }

    @Test func reopenRestoresTheChainAndContinues() throws {
        let directory = TemporaryDirectory()
        var builder = BlockBuilder()
        var info: ChainInfo
        do {
            let ledger = try Ledger.open(path: directory.path())
            for index in 0..<5 {
                let (block, transactions) = builder.next([BlockBuilder.tx("t\(index)", [("k\(index)", "v")])])
                try ledger.commit(block, transactions: transactions)
            }
            info = ledger.chainInfo
            ledger.close()
            #expect(throws: LedgerError.closed) { try ledger.snapshot() }
        }
        let reopened = try Ledger.open(path: directory.path())
        #expect(reopened.chainInfo == info)
        let (block, transactions) = builder.next([BlockBuilder.tx("t5", [("k5", "v")])])
        try reopened.commit(block, transactions: transactions)
        #expect(reopened.chainInfo.height == 6)
        let report = try LedgerVerifier.verify(path: directory.path())
        #expect(report.isConsistent, "\(String(describing: report.firstInconsistency))")
        #expect(report.blocksVerified == 6)
    }

    @Test func netWritesSortByUTF8BytesAndKeepTheLastWrite() {
        // "é" precomposed and decomposed are equal Swift strings but different ledger keys.
        let precomposed = "\u{e9}"
        let decomposed = "e\u{301}"
        let writes = [
            KVWrite(namespace: "n", key: precomposed, value: [1]),
            KVWrite(namespace: "n", key: decomposed, value: [2]),
            KVWrite(namespace: "n", key: "Z", value: [3]),
            KVWrite(namespace: "n", key: "Z", value: nil),
            KVWrite(namespace: "m", key: "z", value: [4]),
        ]
        let net = CommitHash.netWrites(writes)
        #expect(net.map(\.namespace) == ["m", "n", "n", "n"])
        #expect(net.map { Array($0.key.utf8) } == [[0x7a], [0x5a], [0x65, 0xcc, 0x81], [0xc3, 0xa9]])
        #expect(net[1].value == nil)
    }

    @Test func blockTypesRoundTripCanonically() throws {
        var builder = BlockBuilder()
        var (block, _) = builder.next([BlockBuilder.tx("t0", [("a", "1")])])
        block.metadata = BlockMetadata(
            ordererSignatures: [BlockSignature(signer: SerializedIdentity(mspID: "OrdererMSP", certificate: [1, 2]), signature: [3, 4])],
            validationFlags: [.valid], commitHash: [UInt8](repeating: 9, count: 32))
        #expect(try Block(canonicalBytes: block.canonicalBytes) == block)
        #expect(try BlockHeader(canonicalBytes: block.header.canonicalBytes) == block.header)
        #expect(block.header.canonicalBytes.count == 8 + 4 + 32 + 4 + 32)
        #expect(throws: DecodingError.self) { try Block(canonicalBytes: Array(block.canonicalBytes.dropLast())) }
    }

    @Test func commitPathAgreesWithTheDocumentedNetWrites() {
        let workload = DeterministicWorkload(seed: 5)
        for number in 0..<200 {
            let transactions = workload.transactions(ofBlock: UInt64(number))
            let writeSet = BlockWriteSet(transactions)
            #expect(writeSet.net.map(\.write) == CommitHash.netWrites(of: transactions))
        }
    }

    @Test func historyKeepsTheLastWritePerKeyOfEachTransaction() throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.path())
        var builder = BlockBuilder()
        let (block, transactions) = builder.next([
            BlockBuilder.tx("t0", [("a", "1"), ("a", "2"), ("b", "x")]),
            BlockBuilder.tx("t1", [("a", nil), ("a", "3")]),
            BlockBuilder.tx("t2", [("a", "4")], code: .mvccReadConflict),
        ])
        try ledger.commit(block, transactions: transactions)
        let snapshot = try ledger.snapshot()
        let history = try snapshot.history(namespace: "cc", key: "a", pageSize: 10).entries
        #expect(history == [
            KeyModification(txID: "t0", version: Version(blockNumber: 0, txNumber: 0), value: Array("2".utf8)),
            KeyModification(txID: "t1", version: Version(blockNumber: 0, txNumber: 1), value: Array("3".utf8)),
        ])
        #expect(try snapshot.value(namespace: "cc", key: "a")?.version == Version(blockNumber: 0, txNumber: 1))
    }
}
