#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cheap checks that a ledger file is whole before it is trusted: the SQLite header, the size the
/// header promises, and (on request) SQLite's own `quick_check`.
enum FileCheck {
    private static let magic = Array("SQLite format 3\0".utf8)

    /// A non-empty file must start with SQLite's 16-byte magic string and hold a complete header.
    static func checkHeader(path: String) throws(LedgerError) {
        guard let header = firstBytes(path, count: 100) else { return }
        if header.isEmpty { return }
        guard header.count == 100 else {
            throw .corrupt(path: path, problem: "the file is truncated: \(header.count) bytes, shorter than SQLite's 100-byte header")
        }
        guard Array(header.prefix(16)) == magic else {
            throw .corrupt(path: path, problem: "the file does not start with the SQLite header (not a database)")
        }
    }

    /// The database size that SQLite records in the header must fit in the file: a shorter file was
    /// truncated. Only checked when there is no WAL to recover: after a crash during a checkpoint the
    /// header may already promise pages that are still only in the WAL, and SQLite's recovery will
    /// write them.
    static func checkSize(path: String) throws(LedgerError) {
        guard (size(path + "-wal") ?? 0) == 0 else { return }
        guard let fileSize = size(path), let header = firstBytes(path, count: 100), header.count == 100 else { return }
        let pageSizeField = Int64(header[16]) << 8 | Int64(header[17])
        let pageSize = pageSizeField == 1 ? 65536 : pageSizeField
        let pages = header[28..<32].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        let changeCounter = header[24..<28].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        let validFor = header[92..<96].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        // The header's page count is meaningful only when "version-valid-for" matches the change counter.
        guard pages > 0, changeCounter == validFor, pageSize >= 512 else { return }
        if fileSize < pages * pageSize {
            throw .corrupt(path: path, problem: "the file is truncated: its header records \(pages) pages of \(pageSize) bytes (\(pages * pageSize) bytes) but the file holds \(fileSize) bytes")
        }
    }

    /// The size of the file at `path`, or nil when it cannot be read.
    private static func size(_ path: String) -> Int64? {
        var status = stat()
        return stat(path, &status) == 0 ? Int64(status.st_size) : nil
    }

    /// Up to `count` bytes from the start of the file at `path` (fewer when it is shorter), or nil when it
    /// cannot be opened.
    private static func firstBytes(_ path: String, count: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let read = bytes[filled...].withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if read < 0, errno == EINTR { continue }
            guard read > 0 else { break }
            filled += read
        }
        return Array(bytes.prefix(filled))
    }

    /// SQLite's `PRAGMA quick_check`: every page and b-tree is well formed.
    static func quickCheck(_ connection: SQLiteConnection, path: String) throws(LedgerError) {
        let statement = try connection.prepare("PRAGMA quick_check")
        var problems: [String] = []
        while try statement.step() {
            let line = statement.text(0)
            if line != "ok" { problems.append(line) }
            if problems.count >= 5 { break }
        }
        if !problems.isEmpty {
            throw .corrupt(path: path, problem: "SQLite quick_check: " + problems.joined(separator: "; "))
        }
    }
}
