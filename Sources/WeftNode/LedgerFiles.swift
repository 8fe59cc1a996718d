#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import WeftCore

/// Where a peer keeps what ledger administration writes, inside its data folder:
/// `snapshots/<channel>/<height>/`, `backups/<channel>/<height>.sqlite` and
/// `archives/<channel>/<first>-<last>.archive`. Paths that travel on the wire are relative to the data
/// folder; `ledgerDownload` serves only files under these three folders of the channel it names.
struct LedgerFiles: Sendable {
    /// The peer's data folder.
    let dataDir: String

    /// The three kinds of output, each a folder of the data folder.
    enum Kind: String, CaseIterable, Sendable {
        case snapshots, backups, archives
    }

    /// `kind/channel` relative to the data folder.
    func relativeFolder(_ kind: Kind, channel: String) -> String { "\(kind.rawValue)/\(channel)" }

    /// The absolute path of `relative`.
    func absolute(_ relative: String) -> String { dataDir + "/" + relative }

    /// Creates `kind/channel` if needed and returns its absolute path.
    func folder(_ kind: Kind, channel: String) throws -> String {
        let path = absolute(relativeFolder(kind, channel: channel))
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The height of the newest snapshot of `channel` in `snapshots/<channel>/` whose manifest is
    /// complete (a folder still being written is `<height>.partial`); nil when there is none.
    func latestSnapshotHeight(channel: String) -> UInt64? {
        let folder = absolute(relativeFolder(.snapshots, channel: channel))
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap(UInt64.init)
            .filter { FileManager.default.fileExists(atPath: "\(folder)/\($0)/\(SnapshotManifest.fileName)") }
            .max()
    }

    /// The absolute path of `relative` when it names a file under one of the output folders of
    /// `channel`, nil otherwise: no `..`, no absolute path, no other channel, no ledger file.
    func downloadable(_ relative: String, channel: String) -> String? {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, Kind(rawValue: parts[0]) != nil, parts[1] == channel,
              parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasSuffix(".partial") && !$0.hasPrefix(Self.unfinishedPrefix) })
        else { return nil }
        let path = absolute(relative)
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        return type == .typeRegular ? path : nil
    }

    /// The name prefix of an output being written; renamed when complete.
    static let unfinishedPrefix = "writing-"

    /// Outputs left half-written by a peer that stopped while writing them.
    func unfinished() -> [String] {
        Kind.allCases.flatMap { kind -> [String] in
            let root = absolute(kind.rawValue)
            let channels = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
            return channels.flatMap { channel -> [String] in
                let folder = "\(root)/\(channel)"
                return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                    .filter { $0.hasPrefix(Self.unfinishedPrefix) }.map { "\(folder)/\($0)" }
            }
        }
    }

    /// Resolves an archive named by a prune request: relative to the data folder, or absolute.
    func archivePath(_ name: String) -> String {
        name.isEmpty || name.hasPrefix("/") ? name : absolute(name)
    }
}
