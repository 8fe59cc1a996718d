import Foundation
import Testing
import WeftCore
import LedgerTestSupport
@testable import Ledger

@Suite struct WALCheckpointerTests {
    /// With a small threshold, the checkpointer thread copies the WAL back while blocks commit, and now
    /// and then a reader holds a snapshot across a commit (so a background checkpoint may give up, to
    /// be retried at the next request). The WAL stays within the hard limit plus one block's frames,
    /// and every block stays readable and verifiable.
    ///
    /// The commits and the readers run in one task, in a fixed order, without sleeping: a reader is held
    /// only while the WAL is below the threshold, so the committer's own RESTART checkpoint at the hard
    /// limit never waits for a reader, and the bound holds however the checkpointer thread is scheduled.
    @Test func backgroundCheckpointsKeepTheWALBounded() throws {
        let directory = TemporaryDirectory()
        let path = directory.path()
        var configuration = LedgerConfiguration()
        configuration.walAutocheckpointPages = 64
        configuration.checkpointInBackground = true
        let ledger = try Ledger.open(path: path, configuration: configuration)
        let checkpointer = try #require(ledger.checkpointer)
        let workload = DeterministicWorkload(seed: 8)
        var builder = BlockBuilder()
        var walPeak = 0
        var mostFramesOfABlock: Int32 = 0
        var readersHeld = 0
        for number in 0..<300 {
            let framesBefore = checkpointer.walFrames.pointee
            let reader = number % 3 == 0 && framesBefore < checkpointer.threshold ? try ledger.snapshot() : nil
            if let reader {
                _ = try reader.range(namespace: "alpha", startKey: "", endKey: "", pageSize: 100)
                readersHeld += 1
            }
            let (block, transactions) = builder.next(workload.transactions(ofBlock: UInt64(number)))
            try ledger.commit(block, transactions: transactions)
            let framesAfter = checkpointer.walFrames.pointee
            mostFramesOfABlock = max(mostFramesOfABlock, framesAfter > framesBefore ? framesAfter - framesBefore : framesAfter)
            if let reader {
                #expect(reader.chainInfo.height == UInt64(number), "a held snapshot keeps its view")
                reader.close()
            }
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            walPeak = max(walPeak, wal)
        }
        #expect(readersHeld > 20)
        // A frame is a 24-byte header and a 4 KiB page; the file starts with a 32-byte header. The WAL
        // restarts at the first commit after a RESTART checkpoint, at the latest once it reached the hard limit.
        let bound = Int(checkpointer.hardLimit + mostFramesOfABlock) * (4096 + 24) + 32
        #expect(walPeak <= bound, "WAL grew to \(walPeak) bytes; at most \(bound) expected (blocks of up to \(mostFramesOfABlock) frames)")
        let snapshot = try ledger.snapshot()
        var stored: [String: VersionedValue] = [:]
        for namespace in ["alpha", "beta"] {
            for entry in try snapshot.range(namespace: namespace, startKey: "", endKey: "", pageSize: 1000).entries {
                stored["\(namespace)/\(entry.key)"] = VersionedValue(value: entry.value, version: entry.version)
            }
        }
        #expect(stored == workload.replay(height: 300))
        snapshot.close()
        ledger.close()
        #expect(try LedgerVerifier.verify(path: path).isConsistent)
    }
}
