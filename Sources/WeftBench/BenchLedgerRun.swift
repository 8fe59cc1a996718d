#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Ledger
import WeftCore
import WeftCrypto
import WeftCommandLine

/// One run of `weft bench ledger` at one state size and durability.
struct BenchLedgerRun {
    let path: String
    let keyCount: Int
    let blocks: Int
    /// Keep a copy of the preloaded file beside it for later runs.
    var keepPreloaded = false
    /// The SQLite page size of the new files.
    var pageSize = 4096
    /// The WAL size that triggers a checkpoint during the measured commits.
    var walAutocheckpointPages = LedgerConfiguration().walAutocheckpointPages
    /// Whether checkpoints run on the ledger's background thread.
    var checkpointInBackground = false
    /// Whether the file is created with incremental vacuum (the default; `prune` needs it to shrink the file).
    var incrementalVacuum = true

    struct Result {
        var commitTxPerSecond: Double
        var commitTxPerCPUSecond: Double
        var medianBlockMilliseconds: Double
        var pointReadsPerSecond: Double
        var rangeScanMilliseconds: Double
        var bytesPerTransaction: Double
        var preloadSeconds: Double
        var walPeakMiB: Double
        var pagesPerBlock: Double

        /// Commit CPU time divided by the pages the commits wrote.
        var cpuMicrosecondsPerPage: Double {
            Double(BenchLedgerWorkload.transactionsPerBlock) / commitTxPerCPUSecond / pagesPerBlock * 1e6
        }

        func summary(label: String) -> String {
            TextFormat.format("""
                %@
                  commit:      %8.0f tx/s   (median %.1f ms per 500-tx block, incl. MVCC version reads; %.0f tx per CPU-second)
                  pages:       %8.0f written per block (%.1f µs of CPU per page written)
                  point reads: %8.0f /s     (one read connection)
                  range scan:  %8.2f ms per 1,000 keys
                  disk:        %8.0f bytes per transaction (preload %.1f s; WAL peaked at %.0f MiB)
                """, label, commitTxPerSecond, medianBlockMilliseconds, commitTxPerCPUSecond, pagesPerBlock,
                cpuMicrosecondsPerPage, pointReadsPerSecond,
                rangeScanMilliseconds, bytesPerTransaction, preloadSeconds, walPeakMiB)
        }
    }

    func execute(durability: LedgerConfiguration.Durability) throws -> Result {
        var workload = BenchLedgerWorkload(keyCount: keyCount, seed: UInt64(keyCount))
        let preloadStart = Date()
        // A preloaded copy kept by an earlier run with --keep (same schema and size) saves the preload.
        let preloaded = path + ".preloaded"
        let files = FileManager.default
        try? files.removeItem(atPath: path)
        try? files.removeItem(atPath: path + "-wal")
        try? files.removeItem(atPath: path + "-shm")
        if files.fileExists(atPath: preloaded) {
            try files.copyItem(atPath: preloaded, toPath: path)
        } else {
            try preload(&workload)
            if keepPreloaded { try files.copyItem(atPath: path, toPath: preloaded) }
        }
        let preloadSeconds = Date().timeIntervalSince(preloadStart)

        var configuration = LedgerConfiguration()
        configuration.durability = durability
        configuration.pageSize = pageSize
        configuration.walAutocheckpointPages = walAutocheckpointPages
        configuration.checkpointInBackground = checkpointInBackground
        let ledger = try Ledger.open(path: path, configuration: configuration)
        defer { ledger.close() }
        try ledger.checkpoint()
        let sizeBefore = Self.diskSize(path)

        // Build the blocks first: ordering and envelope construction are not the ledger's cost.
        var prepared: [(Block, [CommittedTransaction], [StateKey])] = []
        var previous = ledger.chainInfo.currentBlockHash
        for offset in 0..<blocks {
            let (transactions, reads) = workload.updateTransactions()
            let data = transactions.map { workload.envelope(for: $0) }
            let header = BlockHeader(
                number: ledger.chainInfo.height + UInt64(offset), previousHash: previous, dataHash: Block.dataHash(of: data))
            previous = header.hash
            prepared.append((Block(header: header, data: data), transactions, reads))
        }
        DescriptorOutput.standardError("committing \(blocks) blocks over \(keyCount) keys…\n")
        var blockTimes: [Double] = []
        var walPeak: Int64 = 0
        let pagesBefore = ledger.pagesWritten
        let commitCPUStart = Self.processCPUTime()
        let commitStart = Date()
        for (block, transactions, reads) in prepared {
            let start = Date()
            // The committer's MVCC check: the committed versions of every key read.
            let versions = try ledger.read { try $0.versions(of: reads) }
            guard versions.count == reads.count else { throw CLIFailure(.other, "MVCC version lookup returned \(versions.count) of \(reads.count)") }
            try ledger.commit(block, transactions: transactions)
            blockTimes.append(Date().timeIntervalSince(start))
            walPeak = max(walPeak, Self.fileSize(path + "-wal"))
        }
        let commitSeconds = Date().timeIntervalSince(commitStart)
        let commitCPUSeconds = Self.processCPUTime() - commitCPUStart
        let pagesPerBlock = Double(ledger.pagesWritten - pagesBefore) / Double(blocks)
        try ledger.checkpoint()
        let bytesPerTransaction = Double(Self.diskSize(path) - sizeBefore) / Double(blocks * BenchLedgerWorkload.transactionsPerBlock)

        let (reads, scan) = try measureReads(ledger)
        blockTimes.sort()
        return Result(
            commitTxPerSecond: Double(blocks * BenchLedgerWorkload.transactionsPerBlock) / commitSeconds,
            commitTxPerCPUSecond: Double(blocks * BenchLedgerWorkload.transactionsPerBlock) / commitCPUSeconds,
            medianBlockMilliseconds: blockTimes[blockTimes.count / 2] * 1000,
            pointReadsPerSecond: reads, rangeScanMilliseconds: scan,
            bytesPerTransaction: bytesPerTransaction, preloadSeconds: preloadSeconds,
            walPeakMiB: Double(walPeak) / 1_048_576, pagesPerBlock: pagesPerBlock)
    }

    /// Loads `keyCount` keys in blocks of 1,000 (500 transactions × 2 new keys), fsync off the
    /// critical path (synchronous=NORMAL): the preload is setup, not the measurement.
    private func preload(_ workload: inout BenchLedgerWorkload) throws {
        var configuration = LedgerConfiguration()
        configuration.durability = .normal
        configuration.pageSize = pageSize
        configuration.incrementalVacuum = incrementalVacuum
        let ledger = try Ledger.open(path: path, configuration: configuration)
        defer { ledger.close() }
        try workload.load(keyCount, into: ledger) { loaded in
            if loaded % 100_000 == 0 { DescriptorOutput.standardError("preloaded \(loaded) of \(keyCount) keys\n") }
        }
    }

    /// Point reads of random existing keys from one snapshot, and 1,000-key range scans.
    private func measureReads(_ ledger: Ledger) throws -> (readsPerSecond: Double, scanMilliseconds: Double) {
        let snapshot = try ledger.snapshot()
        defer { snapshot.close() }
        var random = BenchRandom(seed: 7)
        let keys = (0..<200_000).map { _ in BenchLedgerWorkload.key(Int(random.next() % UInt64(keyCount))) }
        var found = 0
        let readCPUStart = Self.processCPUTime()
        let readStart = Date()
        for key in keys where try snapshot.value(namespace: BenchLedgerWorkload.namespace, key: key) != nil {
            found += 1
        }
        let readSeconds = Date().timeIntervalSince(readStart)
        let readCPUSeconds = Self.processCPUTime() - readCPUStart
        DescriptorOutput.standardError(TextFormat.format("point reads: %.0f per CPU-second\n", Double(keys.count) / readCPUSeconds))
        guard found == keys.count else { throw CLIFailure(.other, "\(keys.count - found) bench keys are missing from state") }

        let scans = 100
        var scanned = 0
        let scanStart = Date()
        for _ in 0..<scans {
            let start = BenchLedgerWorkload.key(Int(random.next() % UInt64(max(1, keyCount - 1000))))
            scanned += try snapshot.range(namespace: BenchLedgerWorkload.namespace, startKey: start, endKey: "", pageSize: 1000).entries.count
        }
        let scanSeconds = Date().timeIntervalSince(scanStart)
        guard scanned == scans * 1000 else { throw CLIFailure(.other, "range scans returned \(scanned) keys, expected \(scans * 1000)") }
        return (Double(keys.count) / readSeconds, scanSeconds * 1000 / Double(scans))
    }

    /// CPU time used by the process so far, in seconds (user + system, all threads).
    static func processCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func diskSize(_ path: String) -> Int64 {
        fileSize(path) + fileSize(path + "-wal")
    }

    static func fileSize(_ path: String) -> Int64 {
        var status = stat()
        return stat(path, &status) == 0 ? Int64(status.st_size) : 0
    }
}
