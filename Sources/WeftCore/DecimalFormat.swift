#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// C's `printf` formatting of numbers through `vsnprintf` — what `String(format:)` writes — without
/// Foundation (whose module brings ICU into a static binary).
public enum CFormat {
    /// `format` (one C conversion or more) applied to `arguments`; empty if `vsnprintf` refuses it.
    public static func printf(_ format: String, _ arguments: [any CVarArg]) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        while true {
            let needed = buffer.withUnsafeMutableBufferPointer { pointer in
                withVaList(arguments) { vsnprintf(pointer.baseAddress, pointer.count, format, $0) }
            }
            guard needed >= 0 else { return "" }
            if Int(needed) < buffer.count {
                return String(decoding: buffer.prefix(Int(needed)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            buffer = [CChar](repeating: 0, count: Int(needed) + 1)
        }
    }
}

/// Fixed-point number text as C's `printf("%*.*f")` writes it — what `String(format: "%8.2f", x)` gives.
public enum DecimalFormat {
    /// `value` with `decimals` digits after the point, right-aligned to `width` characters.
    public static func fixed(_ value: Double, decimals: Int, width: Int = 0) -> String {
        CFormat.printf("%*.*f", [Int32(clamping: width), Int32(clamping: max(decimals, 0)), value])
    }
}

extension BinaryFloatingPoint {
    /// The value with `decimals` digits after the point, right-aligned to `width` (`%*.*f`).
    public func fixed(_ decimals: Int, width: Int = 0) -> String {
        DecimalFormat.fixed(Double(self), decimals: decimals, width: width)
    }
}
