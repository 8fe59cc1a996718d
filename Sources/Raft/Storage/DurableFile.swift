#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One open file, with the few POSIX calls durable storage needs: positioned reads and writes that
/// finish or throw, truncation, and fsync. Every failure names the operation, the path and `errno`.
/// Raft's log files and the orderer's block store both use it.
///
/// `@unchecked Sendable`: the only state is the immutable descriptor and path; `pread`/`pwrite` carry
/// their own offsets, so readers on other threads may read while the owner appends.
public final class DurableFile: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32

    /// Opens (and with `create`, creates) the file at `path` for reading and writing.
    public init(path: String, create: Bool = true) throws(RaftError) {
        self.path = path
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        let descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else { throw Self.failure("open", path) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The file's size in bytes.
    public func size() throws(RaftError) -> UInt64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.failure("stat", path) }
        return UInt64(info.st_size)
    }

    /// Reads `count` bytes from `offset` (fewer only at the end of the file).
    public func read(at offset: UInt64, count: Int) throws(RaftError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(descriptor, base + done, count - done, off_t(offset) + off_t(done))
            }
            if result < 0, errno == EINTR { continue }
            guard result >= 0 else { throw Self.failure("read", path) }
            if result == 0 { break }
            done += result
        }
        bytes.removeLast(count - done)
        return bytes
    }

    /// Reads the whole file.
    public func readAll() throws(RaftError) -> [UInt8] {
        try read(at: 0, count: Int(try size()))
    }

    /// Writes all of `bytes` at `offset`.
    public func write(_ bytes: [UInt8], at offset: UInt64) throws(RaftError) {
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pwrite(descriptor, base + done, bytes.count - done, off_t(offset) + off_t(done))
            }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { throw Self.failure("write", path) }
            done += result
        }
    }

    /// Cuts the file to `length` bytes.
    public func truncate(to length: UInt64) throws(RaftError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw Self.failure("truncate", path) }
    }

    /// Makes everything written so far durable.
    public func sync() throws(RaftError) {
        #if canImport(Darwin)
        let result = fsync(descriptor)
        #else
        let result = fdatasync(descriptor)
        #endif
        guard result == 0 else { throw Self.failure("fsync", path) }
    }

    /// Replaces the file at `path` by `bytes` atomically: a crash leaves the old or the new content.
    static func replaceAtomically(path: String, with bytes: [UInt8]) throws(RaftError) {
        let temporary = path + ".tmp"
        do {
            let file = try DurableFile(path: temporary)
            try file.truncate(to: 0)
            try file.write(bytes, at: 0)
            try file.sync()
        }
        guard rename(temporary, path) == 0 else { throw failure("rename \(temporary) to", path) }
        try syncDirectory(of: path)
    }

    /// Makes a rename or a creation in the directory holding `path` durable.
    static func syncDirectory(of path: String) throws(RaftError) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open directory", directory) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("fsync directory", directory) }
    }

    /// Whether a file exists at `path`.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Creates the directory at `path` unless it exists.
    static func createDirectory(_ path: String) throws(RaftError) {
        if mkdir(path, 0o700) != 0, errno != EEXIST { throw failure("create directory", path) }
    }

    static func failure(_ operation: String, _ path: String) -> RaftError {
        .storageFailure(operation: operation, path: path, reason: String(cString: strerror(errno)))
    }
}
