import Ledger
import WeftCore
import WeftRPC
import Wire

/// Ledger administration over the peer's TLS port (`weft ledger snapshot|backup|export|prune
/// --channel C`): the peer writes what is asked in its data folder (`LedgerFiles`) and streams it back
/// with `ledgerDownload`. As channel participation (`ChannelAdminRoutes`), only administrators of the
/// peer's own organization may call them; the channel must be one the peer has joined.
enum LedgerAdminRoutes {
    static func add(to routes: inout RPCRoutes, channels: ChannelRegistry<PeerChannel>, maintenance: LedgerMaintenance) {
        let node = channels.node
        let admins = AllowedCallers.roles([.admin])
        /// The channel a local admin's request names, and its body.
        @Sendable func resolve(_ request: [UInt8], _ caller: Caller) throws(RPCError) -> (PeerChannel, [UInt8]) {
            try node.requireLocalAdmin(caller)
            return try channels.resolve(request, caller: caller, access: .readers)
        }
        routes.unary(.ledgerSnapshot, allowed: admins) { request, caller in
            let (channel, body) = try resolve(request, caller)
            let height = try PeerRoutes.decode(LedgerSnapshotRequest.self, body).height
            return try await running(channel.ledger, reads: true) {
                try maintenance.snapshot(channel, height: height == 0 ? nil : height).canonicalBytes
            }
        }
        routes.unary(.ledgerBackup, allowed: admins) { request, caller in
            let (channel, _) = try resolve(request, caller)
            return try await running(channel.ledger, reads: true) { try maintenance.backup(channel).canonicalBytes }
        }
        routes.unary(.ledgerExport, allowed: admins) { request, caller in
            let (channel, body) = try resolve(request, caller)
            let range = try PeerRoutes.decode(LedgerExportRequest.self, body)
            return try await running(channel.ledger, reads: true) {
                try maintenance.export(channel, first: range.first, last: range.last).canonicalBytes
            }
        }
        routes.unary(.ledgerPrune, allowed: admins) { request, caller in
            let (channel, body) = try resolve(request, caller)
            let prune = try PeerRoutes.decode(LedgerPruneRequest.self, body)
            return try await running(channel.ledger, reads: false) {
                let report = try maintenance.prune(channel, before: prune.before, archive: prune.archive)
                return LedgerPruned(
                    prunedBelow: report.prunedBelow, envelopesRemoved: UInt64(report.envelopesRemoved),
                    historyRowsRemoved: UInt64(report.historyRowsRemoved), fileBytesBefore: UInt64(report.fileBytesBefore),
                    fileBytesAfter: UInt64(report.fileBytesAfter), returnedSpace: report.returnedSpace).canonicalBytes
            }
        }
        routes.serverStream(.ledgerDownload, allowed: admins) { request, caller, writer in
            let (channel, body) = try resolve(request, caller)
            let relative = try PeerRoutes.decode(LedgerDownloadRequest.self, body).path
            guard let path = maintenance.files.downloadable(relative, channel: channel.channel.name) else {
                throw RPCError(.badRequest, "\(node.configuration.name) has no file \(relative.prefix(200)) of channel '\(channel.channel.name)' to download (snapshots/, backups/ or archives/ of the channel)")
            }
            let reader = try await BlockingExecutor.shared.run { () throws(LedgerError) in try FileChunkReader(path: path) }
            var offset: UInt64 = 0
            while true {
                let at = offset
                let chunk = try await BlockingExecutor.shared.run { () throws(LedgerError) in
                    try reader.read(at: at, count: LedgerDownloadRequest.chunkBytes)
                }
                if chunk.isEmpty { break }
                try await writer.send(chunk)
                offset += UInt64(chunk.count)
            }
        }
    }

    /// Runs `work` on the blocking executor — holding one of the ledger's read slots when it `reads` —
    /// and turns ledger errors into RPC errors: a refused argument is the caller's (bad request), a
    /// busy or closed ledger unavailable, anything else the peer's failure.
    private static func running(_ ledger: Ledger, reads: Bool, _ work: @escaping @Sendable () throws -> [UInt8]) async throws -> [UInt8] {
        do {
            return reads ? try await ledger.runReading(work) : try await BlockingExecutor.shared.run(work)
        } catch let error as LedgerError {
            switch error {
            case .invalidArgument(let reason): throw RPCError(.badRequest, reason)
            case .busy, .closed: throw RPCError(.unavailable, error.description)
            default: throw RPCError(.handlerFailed, error.description)
            }
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(.handlerFailed, "\(error)")
        }
    }
}
