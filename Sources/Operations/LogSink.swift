#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where ``WeftLogHandler`` writes finished lines.
public struct LogSink: Sendable {
    private let writeLine: @Sendable (String) -> Void

    /// A sink that hands each finished line (newline included) to `write`.
    public init(_ write: @escaping @Sendable (String) -> Void) {
        writeLine = write
    }

    /// Writes a line.
    public func write(_ line: String) {
        writeLine(line)
    }

    /// The process's standard error, written with one `write(2)` per line so lines from concurrent
    /// loggers do not interleave (a line up to PIPE_BUF bytes is atomic on a pipe).
    public static let standardError = LogSink { line in
        writeFully(line, toDescriptor: 2)
    }
}

/// Writes all of `line` to a file descriptor, retrying after partial writes and interruptions. A closed
/// descriptor drops the line: a logger has nowhere else to report that.
private func writeFully(_ line: String, toDescriptor descriptor: Int32) {
    let bytes = Array(line.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { buffer in
            write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
        }
        if written > 0 {
            offset += written
        } else if written < 0 && errno == EINTR {
            continue
        } else {
            return
        }
    }
}
