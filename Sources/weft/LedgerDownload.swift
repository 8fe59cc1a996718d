#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import WeftCore
import WeftCrypto
import WeftRPC
import Wire
import WeftCommandLine

/// Copies what a peer wrote for a `weft ledger` admin command (a snapshot folder, a backup, an
/// archive) to the client with `ledgerDownload`, chunk by chunk. Each output appears complete or not at
/// all: it is written as `NAME.partial`, checked, then renamed.
enum LedgerDownload {
    /// Refuses an output that already exists, before the peer is asked to do anything.
    static func requireNew(_ path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            throw CLIFailure(.usage, "\(path) already exists; name a new one")
        }
    }

    /// Streams the peer's file `relative` into the new file `path`; checks its size and SHA-256 when
    /// given.
    static func file(_ relative: String, from connection: LedgerPeerTarget.Connection, to path: String,
                     bytes: UInt64? = nil, sha256: [UInt8]? = nil) async throws {
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        try await receive(relative, from: connection, into: partial, bytes: bytes, sha256: sha256)
        guard rename(partial, path) == 0 else {
            throw CLIFailure(.other, "cannot rename \(partial) to \(path): \(DescriptorOutput.message(errno))")
        }
    }

    /// Streams the snapshot folder the peer wrote into the new folder `out`, then checks it against
    /// its manifest and its signature.
    static func snapshot(_ taken: LedgerSnapshotTaken, from connection: LedgerPeerTarget.Connection, to out: String) async throws {
        let partial = out + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
        } catch {
            throw CLIFailure(.other, "cannot create \(partial): \(error)")
        }
        let manifest = try decodeManifest(taken.manifest)
        var names = [SnapshotManifest.fileName] + manifest.files.map(\.name)
        if !taken.signature.isEmpty { names.append(SnapshotSignature.fileName) }
        for name in names {
            let expected = manifest.files.first { $0.name == name }
            try await receive("\(taken.folder)/\(name)", from: connection, into: "\(partial)/\(name)",
                              bytes: expected?.bytes, sha256: expected.flatMap { Hex.decode($0.sha256) })
        }
        do {
            let checked = try SnapshotManifest.verify(folder: partial)
            _ = try SnapshotSignature.read(folder: partial)?.verify(against: checked, folder: partial)
        } catch {
            throw CLIFailure(.other, "the snapshot downloaded from \(connection.peer) does not check: \(error) (left in \(partial))")
        }
        guard rename(partial, out) == 0 else {
            throw CLIFailure(.other, "cannot rename \(partial) to \(out): \(DescriptorOutput.message(errno))")
        }
    }

    /// The manifest the peer answered.
    static func decodeManifest(_ bytes: [UInt8]) throws -> SnapshotManifest {
        do { return try JSONDecoder().decode(SnapshotManifest.self, from: Data(bytes)) } catch {
            throw CLIFailure(.other, "the peer answered a manifest that does not decode: \(error)")
        }
    }

    /// Writes the stream of `relative` into the new file `path`, fsyncs it, and checks it.
    private static func receive(_ relative: String, from connection: LedgerPeerTarget.Connection, into path: String,
                                bytes: UInt64?, sha256: [UInt8]?) async throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CLIFailure(.other, "cannot create \(path): \(DescriptorOutput.message(errno))") }
        defer { close(descriptor) }
        var hasher = SHA256()
        var written: UInt64 = 0
        let request = ChannelRequest(channel: connection.channel, body: LedgerDownloadRequest(path: relative).canonicalBytes)
        do {
            for try await chunk in connection.client.stream(.ledgerDownload, request.canonicalBytes) {
                let failure = DescriptorOutput.write(chunk, to: descriptor)
                guard failure == 0 else { throw CLIFailure(.other, "cannot write \(path): \(DescriptorOutput.message(failure))") }
                hasher.update(chunk)
                written += UInt64(chunk.count)
            }
        } catch let error as RPCError {
            throw connection.failure(error)
        }
        guard fsync(descriptor) == 0 else { throw CLIFailure(.other, "cannot fsync \(path): \(DescriptorOutput.message(errno))") }
        let digest = hasher.finalize()
        if let bytes, bytes != written {
            throw CLIFailure(.other, "\(connection.peer) sent \(written) bytes of \(relative); expected \(bytes)")
        }
        if let sha256, sha256 != digest {
            throw CLIFailure(.other, "\(relative) from \(connection.peer) has SHA-256 \(Hex.encode(digest)); expected \(Hex.encode(sha256))")
        }
    }
}
