/// Reads one YAML document into a `YAMLNode`: block mappings and sequences, flow collections
/// (`[a, b]`, `{k: v}`), plain, single- and double-quoted scalars (also over several lines), literal
/// and folded block scalars (`|`, `>`), comments and `---`/`...` markers. Anchors, aliases, tags,
/// complex keys and several documents in one text are refused with an error naming the line.
struct YAMLParser {
    /// The lines as Unicode scalars, not `Character`s: a grapheme cluster can join an indicator to
    /// what follows it (a space followed by a combining mark is one `Character`, which would hide the
    /// `": "` of a mapping), while YAML's syntax is defined on code points.
    var lines: [[Unicode.Scalar]]
    /// The current line (0-based) and the first scalar of it not yet read.
    var row = 0
    var column = 0
    /// Collections open around the current position; bounded by `maximumDepth`, so hostile input cannot
    /// exhaust the stack.
    var depth = 0
    /// The deepest nesting of collections accepted.
    static let maximumDepth = 100

    init(_ text: String) {
        var body = Substring.UnicodeScalarView(text.unicodeScalars)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var scalars = Array(line)
            if scalars.last == "\r" { scalars.removeLast() }
            return scalars
        }
    }

    /// Parses `text`; an empty document is a null scalar.
    static func parse(_ text: String) throws(YAMLError) -> YAMLNode {
        var parser = YAMLParser(text)
        return try parser.document()
    }

    mutating func document() throws(YAMLError) -> YAMLNode {
        skipBlank()
        while row < lines.count, lines[row].first == "%" {
            row += 1
            skipBlank()
        }
        if row < lines.count, isMarker("---", row) {
            column = 3
            skipSpaces()
            if isBlankOrComment() { nextLine() }
        }
        let node = try parseNode(parentIndent: -1)
        skipBlank()
        if row < lines.count, isMarker("...", row) {
            nextLine()
            skipBlank()
        }
        guard row >= lines.count else {
            if isMarker("---", row) { throw fail("several documents in one text are not supported") }
            throw fail("unexpected text (check the indentation): \(String(scalars: lines[row].drop(while: { $0 == " " })))")
        }
        return node
    }

    // MARK: Block structure

    /// The node whose content starts after the current position and is indented more than `parentIndent`
    /// (a null scalar when there is none).
    mutating func parseNode(parentIndent: Int) throws(YAMLError) -> YAMLNode {
        try enterCollection()
        defer { depth -= 1 }
        skipBlank()
        guard !atDocumentEnd else { return .scalar("", quoted: false, line: row + 1) }
        let indent = try currentIndent()
        guard indent > parentIndent else { return .scalar("", quoted: false, line: row + 1) }
        column = indent
        if startsEntry("-") { return try parseSequence(indent: indent) }
        if startsEntry("?") { throw fail("complex mapping keys ('? ') are not supported") }
        if looksLikeKey() { return try parseMapping(indent: indent) }
        return try parseValue(parentIndent: parentIndent)
    }

    mutating func parseSequence(indent: Int) throws(YAMLError) -> YAMLNode {
        let line = row + 1
        var items: [YAMLNode] = []
        while true {
            skipBlank()
            guard !atDocumentEnd else { break }
            let current = try currentIndent()
            if current > indent { throw fail("unexpected indentation in a sequence") }
            guard current == indent else { break }
            column = current
            guard startsEntry("-") else { break }
            column += 1
            skipSpaces()
            if isBlankOrComment() { nextLine() }
            items.append(try parseNode(parentIndent: indent))
        }
        return .sequence(items, line: line)
    }

    mutating func parseMapping(indent: Int) throws(YAMLError) -> YAMLNode {
        let line = row + 1
        var entries: [(key: String, value: YAMLNode)] = []
        var keys: Set<String> = []
        while true {
            skipBlank()
            guard !atDocumentEnd else { break }
            let current = try currentIndent()
            if current > indent { throw fail("unexpected indentation in a mapping") }
            guard current == indent else { break }
            column = current
            guard looksLikeKey() else {
                if startsEntry("-") { throw fail("a sequence entry where a mapping key was expected") }
                throw fail("expected 'key: value'")
            }
            let keyLine = row + 1
            let key = try parseKey()
            guard keys.insert(key).inserted else { throw YAMLError.syntax(line: keyLine, reason: "duplicate key '\(key)'") }
            let value: YAMLNode
            if isBlankOrComment() {
                nextLine()
                skipBlank()
                if !atDocumentEnd, try currentIndent() == indent, startsEntry("-", at: indent) {
                    column = indent
                    value = try parseSequence(indent: indent)
                } else {
                    value = try parseNode(parentIndent: indent)
                }
            } else {
                if startsEntry("-") { throw fail("a block sequence cannot start on the line of its key") }
                value = try parseValue(parentIndent: indent)
            }
            entries.append((key, value))
        }
        return .mapping(entries, line: line)
    }

    /// A scalar or flow collection starting at the current position.
    mutating func parseValue(parentIndent: Int) throws(YAMLError) -> YAMLNode {
        let line = row + 1
        switch current {
        case "\"", "'":
            let text = try parseQuoted()
            try finishLine()
            return .scalar(text, quoted: true, line: line)
        case "[", "{":
            let node = try parseFlow()
            try finishLine()
            return node
        case "|", ">":
            return .scalar(try parseBlockScalar(parentIndent: parentIndent), quoted: true, line: line)
        case "&": throw fail("anchors (&) are not supported")
        case "*": throw fail("aliases (*) are not supported")
        case "!": throw fail("tags (!) are not supported")
        case "%", "@", "`": throw fail("a plain value cannot start with '\(current ?? " ")'")
        default:
            return .scalar(try parsePlain(parentIndent: parentIndent), quoted: false, line: line)
        }
    }

    /// A plain scalar, continued on following lines indented more than `parentIndent` (folded with spaces).
    mutating func parsePlain(parentIndent: Int) throws(YAMLError) -> String {
        var text = try plainLine()
        nextLine()
        var breaks = 0
        while row < lines.count, !isMarker("---", row), !isMarker("...", row) {
            if isBlankLine(row) {
                breaks += 1
                row += 1
                continue
            }
            let indent = lines[row].prefix { $0 == " " }.count
            guard indent > parentIndent, lines[row][indent] != "#" else { break }
            column = indent
            if looksLikeKey() { throw fail("a 'key: value' inside a plain value (check the indentation)") }
            text += breaks == 0 ? " " : String(repeating: "\n", count: breaks)
            text += try plainLine()
            nextLine()
            breaks = 0
        }
        return text
    }

    /// The plain text from the current position to the end of the line or a comment.
    private mutating func plainLine() throws(YAMLError) -> String {
        let line = lines[row]
        let start = column
        var end = start
        while end < line.count {
            if line[end] == "#", end > start, line[end - 1] == " " || line[end - 1] == "\t" { break }
            if line[end] == ":", end + 1 == line.count || line[end + 1] == " " || line[end + 1] == "\t" {
                throw fail("unexpected ':' in a plain value (quote it, or check the indentation)")
            }
            end += 1
        }
        column = end
        return Self.trimmed(line[start..<end])
    }

    /// `characters` without leading and trailing spaces and tabs.
    static func trimmed(_ characters: ArraySlice<Unicode.Scalar>) -> String {
        String(scalars: characters.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    // MARK: Position

    var current: Unicode.Scalar? { character(at: column) }

    func character(at index: Int) -> Unicode.Scalar? {
        row < lines.count && index < lines[row].count ? lines[row][index] : nil
    }

    var atDocumentEnd: Bool {
        row >= lines.count || (column == 0 && (isMarker("---", row) || isMarker("...", row)))
    }

    func isMarker(_ marker: String, _ index: Int) -> Bool {
        let line = lines[index]
        guard line.count >= 3, String(scalars: line[0..<3]) == marker else { return false }
        return line.count == 3 || line[3] == " " || line[3] == "\t"
    }

    /// Whether the current line holds `indicator` followed by a space or the end of the line at `index`.
    func startsEntry(_ indicator: Unicode.Scalar, at index: Int? = nil) -> Bool {
        let start = index ?? column
        guard character(at: start) == indicator else { return false }
        let next = character(at: start + 1)
        return next == nil || next == " " || next == "\t"
    }

    /// The column of the current line's content (from `column`); tabs may not indent.
    mutating func currentIndent() throws(YAMLError) -> Int {
        var index = column
        while let character = character(at: index), character == " " || character == "\t" {
            if character == "\t" { throw fail("tabs cannot indent YAML; use spaces") }
            index += 1
        }
        return index
    }

    func isBlankLine(_ index: Int) -> Bool {
        lines[index].allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// Whether the rest of the current line is blank or a comment.
    func isBlankOrComment() -> Bool {
        var index = column
        while let character = character(at: index), character == " " || character == "\t" { index += 1 }
        return character(at: index) == nil || character(at: index) == "#"
    }

    mutating func skipSpaces() {
        while let character = current, character == " " || character == "\t" { column += 1 }
    }

    mutating func nextLine() {
        row += 1
        column = 0
    }

    /// Moves past blank and comment-only lines (from the current position on the first one).
    mutating func skipBlank() {
        while row < lines.count, isBlankOrComment() { nextLine() }
    }

    /// After a value: only spaces and a comment may follow on its line.
    mutating func finishLine() throws(YAMLError) {
        let before = column
        skipSpaces()
        guard current == nil || (current == "#" && column > before) else {
            throw fail("unexpected text after the value: \(String(scalars: lines[row][column...]))")
        }
        nextLine()
    }

    /// Counts one more level of nesting, refusing to go past `maximumDepth`.
    mutating func enterCollection() throws(YAMLError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw fail("collections nested more than \(Self.maximumDepth) levels deep")
        }
    }

    func fail(_ reason: String) -> YAMLError {
        .syntax(line: min(row, max(lines.count - 1, 0)) + 1, reason: reason)
    }
}

extension String {
    /// The string of `scalars`.
    init(scalars: some Sequence<Unicode.Scalar>) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self = String(view)
    }
}
