#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeftCore

/// fsync of a whole file and of the directory entry that names it, for files written without SQLite's
/// own syncs (a restored ledger before it is renamed into place).
enum FileDurability {
    /// Flushes `path`'s data to the disk.
    static func sync(_ path: String) throws(LedgerError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(operation: "open", path: path, message: DescriptorOutput.message(errno)) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .io(operation: "fsync", path: path, message: DescriptorOutput.message(errno)) }
    }

    /// Flushes the directory holding `path`, so a rename into it survives a power loss.
    static func syncDirectory(of path: String) throws(LedgerError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) }.flatMap { $0.isEmpty ? "/" : $0 } ?? "."
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(operation: "open", path: directory, message: DescriptorOutput.message(errno)) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .io(operation: "fsync", path: directory, message: DescriptorOutput.message(errno)) }
    }
}
