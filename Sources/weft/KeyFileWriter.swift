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
import WeftCommandLine

/// Writes key and certificate files with an exact permission mode, flushed to disk.
enum KeyFileWriter {
    /// Writes `text` to `path` with permissions `mode` (also when the file existed with other
    /// permissions), creating parent folders, and fsyncs it.
    static func write(_ text: String, to path: String, mode: mode_t) throws {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard descriptor >= 0 else { throw failure("cannot open", path) }
        defer { close(descriptor) }
        guard fchmod(descriptor, mode) == 0 else { throw failure("cannot set the mode of", path) }
        let failed = DescriptorOutput.write(text, to: descriptor)
        guard failed == 0 else { throw CLIFailure(.other, "cannot write \(path): \(DescriptorOutput.message(failed))") }
        guard fsync(descriptor) == 0 else { throw failure("cannot flush", path) }
    }

    private static func failure(_ what: String, _ path: String) -> CLIFailure {
        CLIFailure(.other, "\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
