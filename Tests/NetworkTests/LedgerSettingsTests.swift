import Foundation
import Testing
import WeftNode

/// The `ledger:` section of a peer's node.yaml: top-level retention with per-channel overrides, a
/// refused zero, and the next step of automatic pruning (256-block chunks, never above the latest
/// snapshot when one is required).
@Suite struct LedgerSettingsTests {
    private func load(_ yaml: String) throws -> NodeConfiguration {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("weft-ledger-settings-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try NodeConfiguration.load(path: file.path, environment: [:])
    }

    private let base = """
        role: peer
        name: peer0.org1
        mspID: Org1MSP
        identity: id
        listen: 127.0.0.1:7051
        dataDir: data

        """

    @Test func perChannelValuesOverrideTheDefaults() throws {
        let configuration = try load(base + """
            ledger:
              retainBlocks: 1000
              requireSnapshotBeforePrune: true
              channels:
                ch2: {retainBlocks: 10, archive: true}
            """)
        let ledger = try #require(configuration.ledger)
        #expect(ledger.retention(for: "ch1") == LedgerRetention(retainBlocks: 1000, requireSnapshotBeforePrune: true, archive: false))
        #expect(ledger.retention(for: "ch2") == LedgerRetention(retainBlocks: 10, requireSnapshotBeforePrune: true, archive: true))
        #expect(try load(base).ledger == nil)
        #expect(throws: ConfigurationError.self) { try load(base + "ledger: {retainBlocks: 0}\n") }
        #expect(throws: ConfigurationError.self) { try load(base + "ledger: {channels: {ch2: {retainBlocks: 0}}}\n") }
    }

    @Test func theCacheBudgetDefaultsTo32MiBAndRefusesLessThan4() throws {
        #expect(LedgerSettings().cacheBudgetMiB == 32)
        #expect(try #require(try load(base + "ledger: {cacheMiB: 256}\n").ledger).cacheBudgetMiB == 256)
        #expect(throws: ConfigurationError.self) { try load(base + "ledger: {cacheMiB: 3}\n") }
    }

    @Test func automaticPruningStepsInChunksBelowTheLatestSnapshot() {
        let keep = LedgerRetention(retainBlocks: 100, requireSnapshotBeforePrune: false, archive: false)
        #expect(keep.nextPrune(height: 100, prunedBelow: 0, latestSnapshot: nil, chunk: 256) == nil)
        #expect(keep.nextPrune(height: 150, prunedBelow: 0, latestSnapshot: nil, chunk: 256) == 50)
        #expect(keep.nextPrune(height: 1000, prunedBelow: 0, latestSnapshot: nil, chunk: 256) == 256)
        #expect(keep.nextPrune(height: 1000, prunedBelow: 800, latestSnapshot: nil, chunk: 256) == 900)
        #expect(keep.nextPrune(height: 1000, prunedBelow: 900, latestSnapshot: nil, chunk: 256) == nil)
        let snapshotFirst = LedgerRetention(retainBlocks: 100, requireSnapshotBeforePrune: true, archive: false)
        #expect(snapshotFirst.nextPrune(height: 1000, prunedBelow: 0, latestSnapshot: nil, chunk: 256) == nil)
        #expect(snapshotFirst.nextPrune(height: 1000, prunedBelow: 0, latestSnapshot: 120, chunk: 256) == 120)
        #expect(snapshotFirst.nextPrune(height: 1000, prunedBelow: 120, latestSnapshot: 120, chunk: 256) == nil)
        #expect(LedgerRetention(retainBlocks: nil, requireSnapshotBeforePrune: false, archive: false)
            .nextPrune(height: 1000, prunedBelow: 0, latestSnapshot: nil, chunk: 256) == nil)
    }
}
