/// Writes a `YAMLBox` tree as block-style YAML text.
enum YAMLEmitter {
    static func document(_ value: YAMLBox.Value) -> String {
        var text = ""
        switch value {
        case .mapping(let entries) where !entries.isEmpty: mapping(entries, indent: 0, into: &text)
        case .sequence(let items) where !items.isEmpty: sequence(items, indent: 0, into: &text)
        default: text = (inline(value) ?? "null") + "\n"
        }
        return text
    }

    /// The one-line form of scalars and empty collections; nil for a collection with entries.
    static func inline(_ value: YAMLBox.Value) -> String? {
        switch value {
        case .empty: "null"
        case .raw(let text): text
        case .string(let text): scalar(text)
        case .sequence(let items): items.isEmpty ? "[]" : nil
        case .mapping(let entries): entries.isEmpty ? "{}" : nil
        }
    }

    static func mapping(_ entries: [(key: String, box: YAMLBox)], indent: Int, into text: inout String) {
        let padding = String(repeating: " ", count: indent)
        for (key, box) in entries {
            text += padding + scalar(key) + ":"
            if let line = inline(box.value) {
                text += " " + line + "\n"
            } else if case .sequence(let items) = box.value {
                text += "\n"
                sequence(items, indent: indent, into: &text)
            } else if case .mapping(let nested) = box.value {
                text += "\n"
                mapping(nested, indent: indent + 2, into: &text)
            }
        }
    }

    static func sequence(_ items: [YAMLBox], indent: Int, into text: inout String) {
        let padding = String(repeating: " ", count: indent)
        for item in items {
            if let line = inline(item.value) {
                text += padding + "- " + line + "\n"
                continue
            }
            // A collection item starts on the dash's line: write it one level in, then put the dash in
            // place of the first line's indentation.
            var nested = ""
            if case .mapping(let entries) = item.value { mapping(entries, indent: indent + 2, into: &nested) }
            if case .sequence(let inner) = item.value { sequence(inner, indent: indent + 2, into: &nested) }
            // Drop the indentation as scalars: a combining mark after the last space would otherwise
            // form one `Character` with it and be dropped too.
            text += padding + "- " + String(String.UnicodeScalarView(nested.unicodeScalars.dropFirst(indent + 2)))
        }
    }

    /// `text` as a scalar that reads back as this string: plain when it can be, else quoted.
    static func scalar(_ text: String) -> String {
        guard YAMLScalar.needsQuotes(text) else { return text }
        let printable = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
        if printable {
            // By scalars: a quote followed by a combining mark is one `Character` that a Character
            // search would not find, leaving the quote undoubled.
            var quoted = String.UnicodeScalarView()
            quoted.append("'")
            for scalar in text.unicodeScalars {
                quoted.append(scalar)
                if scalar == "'" { quoted.append("'") }
            }
            quoted.append("'")
            return String(quoted)
        }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            case "\0": quoted += "\\0"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    quoted += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }

    /// A number as YAML reads it back: `.inf`, `-.inf`, `.nan`, or Swift's shortest exact form.
    static func number(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        return "\(value)"
    }
}
