import Foundation
import Testing
@testable import WeftNode

/// What `ledgerDownload` serves from a peer's data folder: files under `snapshots/`, `backups/` and
/// `archives/` of the channel the request names, nothing else; and what a peer removes at start.
@Suite struct LedgerFilesTests {
    @Test func onlyFinishedOutputsOfTheChannelAreDownloadable() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("weft-ledger-files-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = LedgerFiles(dataDir: root)
        let snapshot = try files.folder(.snapshots, channel: "ch1") + "/12"
        try FileManager.default.createDirectory(atPath: snapshot, withIntermediateDirectories: true)
        for path in [snapshot + "/state.bin", try files.folder(.backups, channel: "ch1") + "/12.sqlite",
                     try files.folder(.backups, channel: "ch2") + "/3.sqlite", root + "/ch1.sqlite",
                     try files.folder(.archives, channel: "ch1") + "/writing-x.archive"] {
            #expect(FileManager.default.createFile(atPath: path, contents: Data([1])))
        }
        #expect(files.downloadable("snapshots/ch1/12/state.bin", channel: "ch1") == root + "/snapshots/ch1/12/state.bin")
        #expect(files.downloadable("backups/ch1/12.sqlite", channel: "ch1") != nil)
        for refused in ["backups/ch2/3.sqlite", "ch1.sqlite", "../ch1.sqlite", "snapshots/ch1/12", "snapshots/ch1/../../ch1.sqlite",
                        "/etc/passwd", "snapshots/ch1//12/state.bin", "archives/ch1/writing-x.archive", "channels/ch1/genesis.block",
                        "snapshots/ch1/12/missing.bin"] {
            #expect(files.downloadable(refused, channel: "ch1") == nil, "\(refused)")
        }
        #expect(files.unfinished() == [root + "/archives/ch1/writing-x.archive"])
    }
}
