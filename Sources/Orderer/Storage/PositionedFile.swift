#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Raft
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers

/// The block store's file: Raft's `DurableFile` (positioned reads and writes that finish or throw,
/// truncation, fsync) with its failures reported as `OrdererError`s.
///
/// `pread`/`pwrite` carry their own offset, so readers on other threads may read while the owner
/// appends (the block store publishes only what was written and synced).
final class PositionedFile: Sendable {
    private let file: DurableFile

    var path: String { file.path }

    /// Opens (creating if needed) the file at `path` for reading and writing.
    init(path: String) throws(OrdererError) {
        file = try Self.reporting { () throws(RaftError) in try DurableFile(path: path) }
    }

    /// The file's size in bytes.
    func size() throws(OrdererError) -> UInt64 { try Self.reporting { () throws(RaftError) in try file.size() } }

    /// Reads `count` bytes from `offset` (fewer only at the end of the file).
    func read(at offset: UInt64, count: Int) throws(OrdererError) -> [UInt8] {
        try Self.reporting { () throws(RaftError) in try file.read(at: offset, count: count) }
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: UInt64) throws(OrdererError) {
        try Self.reporting { () throws(RaftError) in try file.write(bytes, at: offset) }
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: UInt64) throws(OrdererError) {
        try Self.reporting { () throws(RaftError) in try file.truncate(to: length) }
    }

    /// Makes everything written so far durable.
    func sync() throws(OrdererError) { try Self.reporting { () throws(RaftError) in try file.sync() } }

    /// Runs a file operation, turning its storage failure into the orderer's.
    private static func reporting<T>(_ operation: () throws(RaftError) -> T) throws(OrdererError) -> T {
        do {
            return try operation()
        } catch {
            if case let .storageFailure(name, path, reason) = error {
                throw .storageFailure(operation: name, path: path, reason: reason)
            }
            throw .raft(error)
        }
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
    private let lock = NIOLock()

    /// Takes the lock of `directory`; throws `directoryInUse` when someone else still holds it after
    /// half a second. (A lock just released can stay held for a moment by a process forked meanwhile
    /// elsewhere in this process, until it execs and its close-on-exec copy of the descriptor closes.)
    init(directory: String) throws(OrdererError) {
        let path = directory + "/LOCK"
        let descriptor = open(path, O_RDWR | O_CLOEXEC | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw PositionedFile.failure("open", path) }
        var attempts = 0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            attempts += 1
            guard attempts < 50 else {
                close(descriptor)
                throw .directoryInUse(directory)
            }
            usleep(10_000)
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
