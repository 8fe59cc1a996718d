#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeftCore

/// File operations for crypto material: exact permission modes, fsync, and errors naming the path.
enum MaterialFiles {
    /// Mode of private keys.
    static let privateMode: mode_t = 0o600
    /// Mode of certificates and descriptions.
    static let publicMode: mode_t = 0o644

    /// Writes `text` to `url` with permissions `mode` (also when the file existed), creating parent
    /// folders, and flushes it to disk.
    static func write(_ text: String, to url: URL, mode: mode_t) throws(IdentityError) {
        try createDirectory(url.deletingLastPathComponent())
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard descriptor >= 0 else { throw failure(url, "cannot open for writing") }
        try fill(descriptor, with: text, mode: mode, for: url)
    }

    /// Replaces `url` with `text` so that a reader sees either the old file or the whole new one, never
    /// a part: writes a hidden temporary file beside it (`.<name>.XXXXXX`, mode `mode`), fsyncs it,
    /// renames it over `url`, and fsyncs the folder so the rename survives a crash. On failure the
    /// temporary file is removed and `url` is untouched.
    static func replace(_ url: URL, with text: String, mode: mode_t) throws(IdentityError) {
        let folder = url.deletingLastPathComponent()
        var template = Array(folder.appendingPathComponent(".\(url.lastPathComponent).XXXXXX").path.utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw failure(url, "cannot create a temporary file beside it") }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        try fill(descriptor, with: text, mode: mode, for: url)
        guard rename(temporary, url.path) == 0 else { throw failure(url, "cannot rename \(temporary) over it") }
        renamed = true
        try syncFolder(folder)
    }

    /// Flushes a folder's entries (a rename in it) to disk.
    static func syncFolder(_ url: URL) throws(IdentityError) {
        let descriptor = open(url.path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw failure(url, "cannot open folder") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure(url, "cannot flush folder to disk") }
    }

    /// Sets the mode of the open file `descriptor`, writes `text` into it, fsyncs and closes it; errors
    /// name `url`.
    private static func fill(_ descriptor: Int32, with text: String, mode: mode_t, for url: URL) throws(IdentityError) {
        defer { close(descriptor) }
        guard fchmod(descriptor, mode) == 0 else { throw failure(url, "cannot set mode \(String(mode, radix: 8))") }
        let failed = DescriptorOutput.write(text, to: descriptor)
        guard failed == 0 else { throw .fileSystem(path: url.path, reason: "cannot write: \(DescriptorOutput.message(failed))") }
        guard fsync(descriptor) == 0 else { throw failure(url, "cannot flush to disk") }
    }

    /// Creates `url` and its parents.
    static func createDirectory(_ url: URL) throws(IdentityError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: url.path, reason: "cannot create folder: \(Self.describe(error))")
        }
    }

    /// Reads `url` as UTF-8 text.
    static func read(_ url: URL) throws(IdentityError) -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .malformedMaterial(path: url.path, reason: "missing or unreadable")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Deletes `url` and everything under it.
    static func remove(_ url: URL) throws(IdentityError) {
        do {
            try FileManager.default.removeItem(at: url)
        } catch {
            throw .fileSystem(path: url.path, reason: "cannot remove: \(Self.describe(error))")
        }
    }

    /// The names in folder `url`, sorted; empty when the folder does not exist.
    static func contents(of url: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }

    /// What went wrong in a `FileManager` call: the system's message for the underlying `errno`
    /// ("No such file or directory"), or the error itself.
    static func describe(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo["NSUnderlyingError"] as? POSIXError {
            return DescriptorOutput.message(underlying.code.rawValue)
        }
        if let posix = error as? POSIXError { return DescriptorOutput.message(posix.code.rawValue) }
        return "\(error)"
    }

    private static func failure(_ url: URL, _ what: String) -> IdentityError {
        .fileSystem(path: url.path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
