import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One open file with the POSIX calls the block store needs: positioned reads and writes that finish
/// or throw, truncation and fsync. Every failure names the operation, the path and `errno`.
///
/// `pread`/`pwrite` carry their own offset, so readers on other threads may read while the owner
/// appends (the block store publishes only what was written and synced).
///
/// `@unchecked Sendable`: the only state is the immutable descriptor and path; the positioned calls
/// are safe to make from several threads at once.
final class PositionedFile: @unchecked Sendable {
    let path: String
    private let descriptor: Int32

    /// Opens (creating if needed) the file at `path` for reading and writing.
    init(path: String) throws(OrdererError) {
        self.path = path
        let descriptor = open(path, O_RDWR | O_CLOEXEC | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw Self.failure("open", path) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The file's size in bytes.
    func size() throws(OrdererError) -> UInt64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.failure("stat", path) }
        return UInt64(info.st_size)
    }

    /// Reads `count` bytes from `offset` (fewer only at the end of the file).
    func read(at offset: UInt64, count: Int) throws(OrdererError) -> [UInt8] {
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

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: UInt64) throws(OrdererError) {
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
    func truncate(to length: UInt64) throws(OrdererError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw Self.failure("truncate", path) }
    }

    /// Makes everything written so far durable.
    func sync() throws(OrdererError) {
        #if canImport(Darwin)
        let result = fsync(descriptor)
        #else
        let result = fdatasync(descriptor)
        #endif
        guard result == 0 else { throw Self.failure("fsync", path) }
    }

    /// Creates the directory at `path` (and its missing parents) unless it exists.
    static func createDirectory(_ path: String) throws(OrdererError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST { throw failure("create directory", prefix) }
            prefix += "/"
        }
    }

    /// Makes a creation in the directory `path` durable.
    static func syncDirectory(_ path: String) throws(OrdererError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open directory", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("fsync directory", path) }
    }

    static func failure(_ operation: String, _ path: String) -> OrdererError {
        .storageFailure(operation: operation, path: path, reason: String(cString: strerror(errno)))
    }
}

/// An exclusive lock on an orderer's data directory (`flock` on `directory/LOCK`), so that two orderer
/// processes — or two node objects in one process — never write the same Raft log and block store.
/// The lock is released by `release()` or when the object is freed (or the process dies).
///
/// `@unchecked Sendable`: the descriptor is only changed under `lock`.
final class DirectoryLock: @unchecked Sendable {
    private var descriptor: Int32
    private let lock = NSLock()

    /// Takes the lock of `directory`; throws `directoryInUse` when someone else holds it.
    init(directory: String) throws(OrdererError) {
        let path = directory + "/LOCK"
        let descriptor = open(path, O_RDWR | O_CLOEXEC | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw PositionedFile.failure("open", path) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw .directoryInUse(directory)
        }
        self.descriptor = descriptor
    }

    /// Releases the lock (once).
    func release() {
        lock.lock()
        defer { lock.unlock() }
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    deinit { release() }
}
