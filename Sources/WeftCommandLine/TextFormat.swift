import WeftCore

/// `printf`-style formatting for the CLI's reports — `%d`, `%f`/`%e`/`%g` with flags, width and
/// precision, `%@` for strings, `%%` — without Foundation's `String(format:)`, whose module would bring
/// ICU and its data into the static binary. Numbers go through C's `vsnprintf`, so the text is
/// exactly what `String(format:)` wrote.
public enum TextFormat {
    /// `format` with each conversion replaced by the next argument; a conversion without a fitting
    /// argument is written as it stands.
    public static func format(_ format: String, _ arguments: any FormatArgument...) -> String {
        var output = ""
        var remaining = arguments[...]
        var characters = format[...]
        while let percent = characters.firstIndex(of: "%") {
            output += characters[..<percent]
            characters = characters[characters.index(after: percent)...]
            guard let (specification, conversion, rest) = Self.conversion(characters) else {
                output += "%"
                continue
            }
            characters = rest
            if conversion == "%" {
                output += "%"
                continue
            }
            guard let argument = remaining.popFirst(), let text = argument.formatted(specification, conversion) else {
                output += "%" + specification + String(conversion)
                continue
            }
            output += text
        }
        return output + characters
    }

    /// Splits `%[flags][width][.precision][length]conversion` (after the `%`) into the flags-to-precision
    /// part, the conversion character and the text after it.
    private static func conversion(_ text: Substring) -> (String, Character, Substring)? {
        var index = text.startIndex
        var specification = ""
        while index < text.endIndex, "-+ #0123456789.".contains(text[index]) {
            specification.append(text[index])
            index = text.index(after: index)
        }
        while index < text.endIndex, "lhqzjt".contains(text[index]) { index = text.index(after: index) }
        guard index < text.endIndex else { return nil }
        return (specification, text[index], text[text.index(after: index)...])
    }

    /// One number through `vsnprintf` with `format`.
    fileprivate static func printf(_ format: String, _ argument: any CVarArg) -> String {
        CFormat.printf(format, [argument])
    }
}

/// A value `TextFormat.format` can write.
public protocol FormatArgument {
    /// The text for `%<specification><conversion>`, or nil when this value does not fit the conversion.
    func formatted(_ specification: String, _ conversion: Character) -> String?
}

extension FormatArgument where Self: BinaryInteger {
    /// The integer through `vsnprintf`: `%d`/`%i` signed, `%u`/`%x`/`%X`/`%o` unsigned, `%f`… as a `Double`.
    public func formatted(_ specification: String, _ conversion: Character) -> String? {
        switch conversion {
        case "d", "i": TextFormat.printf("%" + specification + "lld", Int64(clamping: self))
        case "u", "x", "X", "o": TextFormat.printf("%" + specification + "ll" + String(conversion), UInt64(truncatingIfNeeded: self))
        case "f", "F", "e", "E", "g", "G": TextFormat.printf("%" + specification + String(conversion), Double(self))
        default: nil
        }
    }
}

extension Int: FormatArgument {}
extension Int32: FormatArgument {}
extension Int64: FormatArgument {}
extension UInt: FormatArgument {}
extension UInt32: FormatArgument {}
extension UInt64: FormatArgument {}

extension Double: FormatArgument {
    /// The number through `vsnprintf` for `%f`, `%e`, `%g` and `%a`.
    public func formatted(_ specification: String, _ conversion: Character) -> String? {
        guard "fFeEgGaA".contains(conversion) else { return nil }
        return TextFormat.printf("%" + specification + String(conversion), self)
    }
}

extension String: FormatArgument {
    /// The text for `%@` or `%s`, space-padded to the width (left-aligned with `-`).
    public func formatted(_ specification: String, _ conversion: Character) -> String? {
        guard conversion == "@" || conversion == "s" else { return nil }
        let width = Int(specification.filter(\.isNumber)) ?? 0
        let padding = String(repeating: " ", count: max(0, width - count))
        return specification.hasPrefix("-") ? self + padding : padding + self
    }
}

extension String {
    /// The text cut or space-padded to `length` characters (Foundation's `padding(toLength:withPad: " ", startingAt: 0)`).
    public func padded(toLength length: Int) -> String {
        count >= length ? String(prefix(length)) : self + String(repeating: " ", count: length - count)
    }
}
