#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to a POSIX file descriptor without Foundation's `FileHandle`, whose module (with ICU and its
/// 30 MB of data) a static `weft` binary would otherwise have to carry.
public enum DescriptorOutput {
    /// Writes every byte of `bytes` to `descriptor`, retrying after `EINTR` and short writes.
    /// - Returns: 0, or the `errno` of the write that failed.
    @discardableResult
    public static func write(_ bytes: [UInt8], to descriptor: Int32) -> Int32 {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return 0
        }
    }

    /// Writes `text` (UTF-8) to `descriptor`; see `write(_:to:)`.
    @discardableResult
    public static func write(_ text: String, to descriptor: Int32) -> Int32 {
        write(Array(text.utf8), to: descriptor)
    }

    /// Writes `text` to standard error, as a best effort (a closed stderr is not an error worth failing for).
    public static func standardError(_ text: String) {
        write(text, to: 2)
    }

    /// The system's message for `code` (an `errno` value).
    public static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// `write(2)` under a name that the static methods named `write` above do not shadow.
@inline(__always)
private func systemWrite(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    Darwin.write(descriptor, pointer, count)
    #elseif canImport(Musl)
    Musl.write(descriptor, pointer, count)
    #else
    Glibc.write(descriptor, pointer, count)
    #endif
}
