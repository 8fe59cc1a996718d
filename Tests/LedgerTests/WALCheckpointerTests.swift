import Foundation
import Testing
import WeftCore
import LedgerTestSupport
@testable import Ledger

@Suite struct WALCheckpointerTests {
    /// With a small threshold and readers holding snapshots now and then, background checkpoints keep
    /// the WAL bounded, and every block stays readable and verifiable.
    @Test func backgroundCheckpointsKeepTheWALBounded() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path()
        var configuration = LedgerConfiguration()
        configuration.walAutocheckpointPages = 64
        configuration.checkpointInBackground = true
        let ledger = try Ledger.open(path: path, configuration: configuration)
        let workload = DeterministicWorkload(seed: 8)
        var builder = BlockBuilder()
        var walPeak = 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for _ in 0..<100 {
                    let snapshot = try ledger.snapshot()
                    _ = try snapshot.range(namespace: "alpha", startKey: "", endKey: "", pageSize: 100)
                    usleep(500)
                    snapshot.close()
                }
            }
            for number in 0..<300 {
                let (block, transactions) = builder.next(workload.transactions(ofBlock: UInt64(number)))
                try ledger.commit(block, transactions: transactions)
                let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
                walPeak = max(walPeak, wal)
            }
            try await group.waitForAll()
        }
        // The hard limit is 4 × 64 frames of 4 KiB + 24 bytes; one block adds a few dozen frames.
        #expect(walPeak < 1_500_000, "WAL grew to \(walPeak) bytes")
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
