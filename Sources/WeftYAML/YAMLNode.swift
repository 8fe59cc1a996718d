/// A parsed YAML document: scalars, sequences and mappings with string keys — the part of YAML that
/// configuration files use. Each node remembers its line for error messages.
indirect enum YAMLNode: Sendable {
    /// A scalar's text; `quoted` scalars are always strings, plain ones may be null, a bool or a number.
    case scalar(String, quoted: Bool, line: Int)
    case sequence([YAMLNode], line: Int)
    /// Entries in document order; keys are unique.
    case mapping([(key: String, value: YAMLNode)], line: Int)

    /// The 1-based line the node starts on.
    var line: Int {
        switch self {
        case .scalar(_, _, let line), .sequence(_, let line), .mapping(_, let line): line
        }
    }

    /// A plain scalar that YAML reads as null: empty, `~` or `null`.
    var isNull: Bool {
        if case .scalar(let text, false, _) = self { return YAMLScalar.isNull(text) }
        return false
    }

    /// What the node is, for error messages: `"two"`, `a mapping`, `a sequence`.
    var summary: String {
        switch self {
        case .scalar(let text, _, _): isNull ? "null" : "\"\(text)\""
        case .sequence: "a sequence"
        case .mapping: "a mapping"
        }
    }
}

/// How plain scalars resolve (YAML 1.1 as libyaml/Yams read them, so existing files mean the same).
enum YAMLScalar {
    static func isNull(_ text: String) -> Bool {
        text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": false
        default: nil
        }
    }

    /// Decimal, `0x` hexadecimal, `0o` octal or `0b` binary digits with an optional sign; `_` separators allowed.
    static func integer<T: FixedWidthInteger>(_ text: String, as type: T.Type) -> T? {
        var digits = Substring(text.filter { $0 != "_" })
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        var radix = 10
        for (prefix, base) in [("0x", 16), ("0o", 8), ("0b", 2)] where digits.hasPrefix(prefix) {
            radix = base
            digits = digits.dropFirst(2)
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit }) else { return nil }
        return T(negative ? "-" + digits : String(digits), radix: radix)
    }

    static func double(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default:
            let cleaned = text.filter { $0 != "_" }
            guard let first = cleaned.first, first.isNumber || first == "-" || first == "+" || first == "." else { return nil }
            guard cleaned.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) else { return nil }
            return Double(cleaned)
        }
    }

    /// Whether `text` written plain would be read back as something other than this string.
    /// Judged on Unicode scalars, as the parser reads: a combining mark joins the character before it
    /// into one `Character`, which would hide a `": "`, a leading space or a trailing colon.
    static func needsQuotes(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return true }
        if isNull(text) || bool(text) != nil || integer(text, as: Int64.self) != nil || double(text) != nil { return true }
        if first == " " || first == "\t" || last == " " || last == "\t" || last == ":" { return true }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return true }
        let indicator = zip(scalars, scalars.dropFirst()).contains { pair in
            (pair.0 == ":" && (pair.1 == " " || pair.1 == "\t")) || ((pair.0 == " " || pair.0 == "\t") && pair.1 == "#")
        }
        if indicator || scalars.starts(with: "---".unicodeScalars) || scalars.starts(with: "...".unicodeScalars) { return true }
        return scalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
