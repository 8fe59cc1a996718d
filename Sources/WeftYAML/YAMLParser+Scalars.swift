/// Keys, quoted scalars, block scalars and flow collections.
extension YAMLParser {
    // MARK: Keys

    /// Whether the current line, from `column`, is `key: …` (a plain or quoted key, then `:` and a space
    /// or the end of the line).
    func looksLikeKey() -> Bool {
        guard let first = current, !"[{#".unicodeScalars.contains(first) else { return false }
        let line = lines[row]
        var index = column
        if first == "\"" || first == "'" {
            guard let close = Self.closingQuote(line, from: column) else { return false }
            index = close + 1
            while index < line.count, line[index] == " " || line[index] == "\t" { index += 1 }
            return index < line.count && line[index] == ":" && (index + 1 == line.count || line[index + 1] == " " || line[index + 1] == "\t")
        }
        while index < line.count {
            let character = line[index]
            if character == "#", index > column, line[index - 1] == " " || line[index - 1] == "\t" { return false }
            if character == ":", index + 1 == line.count || line[index + 1] == " " || line[index + 1] == "\t" { return true }
            index += 1
        }
        return false
    }

    /// Reads `key:` and the spaces after it; the position is then at the value (or the end of the line).
    mutating func parseKey() throws(YAMLError) -> String {
        let key: String
        if current == "\"" || current == "'" {
            let startRow = row
            key = try parseQuoted()
            guard row == startRow else { throw fail("a quoted key must fit on one line") }
            skipSpaces()
        } else {
            let line = lines[row]
            var end = column
            while end < line.count, !(line[end] == ":" && (end + 1 == line.count || line[end + 1] == " " || line[end + 1] == "\t")) {
                end += 1
            }
            key = Self.trimmed(line[column..<end])
            column = end
            if let first = key.first, "&*!|>%@`".contains(first) {
                throw fail("anchors, aliases, tags and block indicators are not supported in keys ('\(key)')")
            }
        }
        guard current == ":" else { throw fail("expected ':' after the key '\(key)'") }
        column += 1
        skipSpaces()
        return key
    }

    /// The index of the quote closing the one at `start`, or nil when it is not on this line.
    static func closingQuote(_ line: [Unicode.Scalar], from start: Int) -> Int? {
        let quote = line[start]
        var index = start + 1
        while index < line.count {
            if quote == "\"", line[index] == "\\" {
                index += 2
                continue
            }
            if line[index] == quote {
                if quote == "'", index + 1 < line.count, line[index + 1] == "'" {
                    index += 2
                    continue
                }
                return index
            }
            index += 1
        }
        return nil
    }

    // MARK: Quoted scalars

    /// A single- or double-quoted scalar starting at the current position, possibly over several lines
    /// (a line break folds to a space, an empty line to a newline).
    mutating func parseQuoted() throws(YAMLError) -> String {
        guard let quote = current else { throw fail("expected a quote") }
        let startLine = row + 1
        column += 1
        var text = ""
        while true {
            guard row < lines.count else { throw YAMLError.syntax(line: startLine, reason: "unterminated quoted value") }
            guard let character = current else {
                try foldLineBreak(into: &text, startLine: startLine)
                continue
            }
            column += 1
            if character == quote {
                if quote == "'", current == "'" {
                    text.append("'")
                    column += 1
                    continue
                }
                return text
            }
            if quote == "\"", character == "\\" {
                if current == nil {
                    // An escaped line break: the lines join without a space.
                    nextLine()
                    guard row < lines.count else { throw YAMLError.syntax(line: startLine, reason: "unterminated quoted value") }
                    skipSpaces()
                    continue
                }
                text.unicodeScalars.append(try escape())
                continue
            }
            text.unicodeScalars.append(character)
        }
    }

    /// Inside quotes at the end of a line: trailing spaces go, the break becomes a space (or one newline
    /// per empty line that follows), and the next line's leading spaces go.
    private mutating func foldLineBreak(into text: inout String, startLine: Int) throws(YAMLError) {
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        nextLine()
        var breaks = 0
        while row < lines.count, isBlankLine(row) {
            breaks += 1
            nextLine()
        }
        guard row < lines.count else { throw YAMLError.syntax(line: startLine, reason: "unterminated quoted value") }
        text += breaks == 0 ? " " : String(repeating: "\n", count: breaks)
        skipSpaces()
    }

    /// The character of a double-quoted escape; the position is after the backslash.
    private mutating func escape() throws(YAMLError) -> Unicode.Scalar {
        guard let code = current else { throw fail("an escape at the end of a line") }
        column += 1
        let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "0": "\0", "a": "\u{07}", "b": "\u{08}", "t": "\t", "\t": "\t", "n": "\n", "v": "\u{0B}", "f": "\u{0C}",
            "r": "\r", "e": "\u{1B}", " ": " ", "\"": "\"", "/": "/", "\\": "\\", "N": "\u{85}", "_": "\u{A0}",
            "L": "\u{2028}", "P": "\u{2029}",
        ]
        if let scalar = simple[code] { return scalar }
        let digits = ["x": 2, "u": 4, "U": 8][code]
        guard let digits else { throw fail("unknown escape '\\\(code)'") }
        var hex = ""
        for _ in 0..<digits {
            guard let digit = current, Character(digit).isHexDigit else { throw fail("'\\\(code)' needs \(digits) hexadecimal digits") }
            hex.unicodeScalars.append(digit)
            column += 1
        }
        guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
            throw fail("'\\\(code)\(hex)' is not a Unicode character")
        }
        return scalar
    }

    // MARK: Block scalars

    /// A literal (`|`) or folded (`>`) block scalar: its header is at the current position, its lines follow,
    /// indented more than `parentIndent`.
    mutating func parseBlockScalar(parentIndent: Int) throws(YAMLError) -> String {
        let folded = current == ">"
        column += 1
        var chomping: Unicode.Scalar = " "
        var explicitIndent: Int?
        while let character = current, character != " ", character != "\t", character != "#" {
            if character == "-" || character == "+", chomping == " " {
                chomping = character
            } else if let digit = Character(character).wholeNumberValue, digit > 0, explicitIndent == nil {
                explicitIndent = digit
            } else {
                throw fail("unknown block scalar indicator '\(character)'")
            }
            column += 1
        }
        try finishLine()

        var contentIndent = explicitIndent.map { max(parentIndent, 0) + $0 }
        var content: [String] = []
        while row < lines.count, !isMarker("---", row), !isMarker("...", row) {
            let line = lines[row]
            let spaces = line.prefix { $0 == " " }.count
            if spaces == line.count {
                content.append(String(scalars: line.dropFirst(min(spaces, contentIndent ?? spaces))))
                row += 1
                continue
            }
            if contentIndent == nil { contentIndent = spaces }
            guard let indent = contentIndent, spaces >= indent, spaces > parentIndent else { break }
            content.append(String(scalars: line.dropFirst(indent)))
            row += 1
        }
        column = 0

        var trailing = 0
        while let last = content.last, last.allSatisfy({ $0 == " " }) {
            trailing += 1
            content.removeLast()
        }
        var text = folded ? Self.fold(content) : content.joined(separator: "\n")
        switch chomping {
        case "-": break
        case "+": if !content.isEmpty || trailing > 0 { text += String(repeating: "\n", count: (content.isEmpty ? 0 : 1) + trailing) }
        default: if !content.isEmpty { text += "\n" }
        }
        return text
    }

    /// Folding of `>`: adjacent lines join with a space, empty lines become newlines, and more-indented
    /// lines keep their line breaks.
    static func fold(_ lines: [String]) -> String {
        var text = ""
        var breaks = 0
        var previousWasNormal = false
        var started = false
        for line in lines {
            if line.isEmpty {
                breaks += 1
                continue
            }
            let moreIndented = line.first == " " || line.first == "\t"
            if !started {
                text += String(repeating: "\n", count: breaks)
            } else if previousWasNormal, !moreIndented {
                text += breaks == 0 ? " " : String(repeating: "\n", count: breaks)
            } else {
                text += String(repeating: "\n", count: breaks + 1)
            }
            text += line
            previousWasNormal = !moreIndented
            breaks = 0
            started = true
        }
        return text
    }
}
