#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Ledger
import WeftCore
import WeftCrypto

/// Reads a file in chunks with `pread`, for `ledgerDownload` and for hashing large outputs without
/// holding them in memory. Blocking: use it on the `BlockingExecutor`.
final class FileChunkReader: Sendable {
    let path: String
    private let descriptor: Int32

    /// Opens `path` for reading.
    init(path: String) throws(LedgerError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(operation: "open", path: path, message: DescriptorOutput.message(errno)) }
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes from `offset`; empty at the end of the file.
    func read(at offset: UInt64, count: Int) throws(LedgerError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let result = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "read", path: path, message: DescriptorOutput.message(errno))
            }
            if result == 0 { break }
            filled += result
        }
        buffer.removeLast(count - filled)
        return buffer
    }

    /// The file's size and SHA-256, read in 1 MiB chunks.
    static func digest(path: String) throws(LedgerError) -> (bytes: UInt64, sha256: [UInt8]) {
        let reader = try FileChunkReader(path: path)
        var hasher = SHA256()
        var offset: UInt64 = 0
        while true {
            let chunk = try reader.read(at: offset, count: 1 << 20)
            if chunk.isEmpty { break }
            hasher.update(chunk)
            offset += UInt64(chunk.count)
        }
        return (offset, hasher.finalize())
    }
}
