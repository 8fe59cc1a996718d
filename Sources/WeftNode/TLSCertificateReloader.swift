#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import UnixSignals
import WeftRPC

/// Rotates a node's TLS certificate without downtime: re-reads the certificate and key files when
/// they change (checked every `interval`) or when the process gets SIGHUP, and hands them to the
/// node's `RPCTransportSecurity`, so connections opened from then on present the new certificate.
/// Open connections keep theirs. A pair that does not load (half written, key not matching the
/// certificate) is logged and skipped; the node keeps the pair it has and tries again on the next
/// change.
struct TLSCertificateReloader: Sendable {
    let certificatePath: String
    let keyPath: String
    let security: RPCTransportSecurity
    let logger: Logger
    var interval: Duration = .seconds(1)

    /// What identifies one version of a file: change time, size and inode.
    struct FileVersion: Equatable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int
        var inode: UInt64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            seconds = Int(info.st_mtim.tv_sec)
            nanoseconds = Int(info.st_mtim.tv_nsec)
            size = Int(info.st_size)
            inode = UInt64(info.st_ino)
        }
    }

    /// Watches until cancelled.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await watchFiles() }
            group.addTask { await watchHangUp() }
            await group.next()
            group.cancelAll()
        }
    }

    private func watchFiles() async {
        var seen = versions()
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            let now = versions()
            if now != seen, reload(because: "the TLS files changed") { seen = now }
        }
    }

    private func watchHangUp() async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            _ = reload(because: "SIGHUP")
        }
    }

    private func versions() -> [FileVersion?] { [FileVersion(path: certificatePath), FileVersion(path: keyPath)] }

    /// Loads the files and installs them; returns whether it did.
    @discardableResult
    func reload(because reason: String) -> Bool {
        do {
            let credentials = try RPCCredentials.load(certificateFile: certificatePath, keyFile: keyPath)
            guard credentials.certificate != security.credentials.certificate else { return true }
            try security.replace(credentials)
            let certificate = credentials.certificate
            logger.notice("\(reason): new connections use TLS certificate serial \(certificate.serialNumberHex), valid until \(certificate.notAfter)")
            return true
        } catch {
            logger.warning("\(reason), but the TLS certificate was not reloaded (keeping the current one): \(error)")
            return false
        }
    }
}
