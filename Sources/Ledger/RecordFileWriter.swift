#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeftCore
import WeftCrypto

/// Writes a file of canonical records (a snapshot's data files, a block archive): buffered, hashed as
/// they are written, fsynced when finished.
final class RecordFileWriter {
    let name: String
    private let path: String
    private let descriptor: Int32
    private var buffer = ByteWriter(capacity: 1 << 20)
    private var hasher: SHA256? = SHA256()
    private var written: UInt64 = 0
    private var records: UInt64 = 0

    /// Creates `folder/name`, which must not exist.
    init(folder: String, name: String) throws(LedgerError) {
        self.name = name
        path = folder + "/" + name
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(operation: "create", path: path, message: DescriptorOutput.message(errno)) }
    }

    deinit { close(descriptor) }

    /// Appends one record.
    func append(_ record: (inout ByteWriter) -> Void) throws(LedgerError) {
        record(&buffer)
        records += 1
        if buffer.bytes.count >= 1 << 20 { try flush() }
    }

    /// Flushes, fsyncs and returns the file's manifest entry.
    func finish() throws(LedgerError) -> SnapshotManifest.File {
        try flush()
        guard fsync(descriptor) == 0 else { throw .io(operation: "fsync", path: path, message: DescriptorOutput.message(errno)) }
        guard let digest = hasher.take()?.finalize() else { throw .invalidArgument("\(path) was already finished") }
        return SnapshotManifest.File(name: name, bytes: written, records: records, sha256: Hex.encode(digest))
    }

    private func flush() throws(LedgerError) {
        let bytes = buffer.bytes
        guard !bytes.isEmpty else { return }
        hasher?.update(bytes)
        let failure = DescriptorOutput.write(bytes, to: descriptor)
        guard failure == 0 else { throw .io(operation: "write", path: path, message: DescriptorOutput.message(failure)) }
        written += UInt64(bytes.count)
        buffer = ByteWriter(capacity: 1 << 20)
    }
}

/// Outputs that appear complete or not at all: written under `name.partial`, then renamed.
enum PartialOutput {
    /// The name an output is written under until it is complete.
    static func path(for final: String) -> String { final + ".partial" }

    /// Renames the finished `partial` output to `final` (atomic on one file system).
    static func publish(_ partial: String, as final: String) throws(LedgerError) {
        guard rename(partial, final) == 0 else {
            throw .io(operation: "rename", path: partial, message: DescriptorOutput.message(errno))
        }
    }
}
