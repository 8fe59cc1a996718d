/// Flow collections: `[a, b]` and `{key: value, …}`, nested, over one or more lines.
extension YAMLParser {
    /// The flow sequence or mapping starting at the current position (`[` or `{`).
    mutating func parseFlow() throws(YAMLError) -> YAMLNode {
        try enterCollection()
        defer { depth -= 1 }
        let line = row + 1
        let opening = current
        column += 1
        if opening == "[" {
            var items: [YAMLNode] = []
            while true {
                try skipFlowSpace()
                if current == "]" {
                    column += 1
                    return .sequence(items, line: line)
                }
                items.append(try parseFlowValue(inMapping: false))
                try skipFlowSpace()
                if current == "," {
                    column += 1
                } else if current != "]" {
                    throw fail("expected ',' or ']' in a flow sequence")
                }
            }
        }
        var entries: [(key: String, value: YAMLNode)] = []
        var keys: Set<String> = []
        while true {
            try skipFlowSpace()
            if current == "}" {
                column += 1
                return .mapping(entries, line: line)
            }
            let keyLine = row + 1
            guard case .scalar(let key, _, _) = try parseFlowValue(inMapping: true) else {
                throw fail("a flow mapping key must be a scalar")
            }
            guard keys.insert(key).inserted else { throw YAMLError.syntax(line: keyLine, reason: "duplicate key '\(key)'") }
            try skipFlowSpace()
            var value = YAMLNode.scalar("", quoted: false, line: row + 1)
            if current == ":" {
                column += 1
                try skipFlowSpace()
                if current != "," && current != "}" { value = try parseFlowValue(inMapping: true) }
                try skipFlowSpace()
            }
            entries.append((key, value))
            if current == "," {
                column += 1
            } else if current != "}" {
                throw fail("expected ',' or '}' in a flow mapping")
            }
        }
    }

    /// One entry of a flow collection: a nested collection, a quoted scalar or a plain scalar (which ends
    /// at `,`, a closing bracket, `: ` or the end of the line).
    private mutating func parseFlowValue(inMapping: Bool) throws(YAMLError) -> YAMLNode {
        let line = row + 1
        switch current {
        case "[", "{": return try parseFlow()
        case "\"", "'": return .scalar(try parseQuoted(), quoted: true, line: line)
        case "&": throw fail("anchors (&) are not supported")
        case "*": throw fail("aliases (*) are not supported")
        case "!": throw fail("tags (!) are not supported")
        case "?": throw fail("complex mapping keys ('? ') are not supported")
        default: break
        }
        let characters = lines[row]
        let start = column
        var end = start
        while end < characters.count {
            let character = characters[end]
            if character == "," || character == "]" || character == "}" { break }
            if character == "#", end > start, characters[end - 1] == " " || characters[end - 1] == "\t" { break }
            if character == ":" {
                let next = end + 1 < characters.count ? characters[end + 1] : " "
                if next == " " || next == "\t" || next == "," || next == "]" || next == "}" { break }
            }
            if character == "[" || character == "{" { throw fail("'\(character)' inside a plain flow value (quote it)") }
            end += 1
        }
        column = end
        return .scalar(Self.trimmed(characters[start..<end]), quoted: false, line: line)
    }

    /// Moves past spaces, line breaks and comments inside a flow collection.
    private mutating func skipFlowSpace() throws(YAMLError) {
        while true {
            skipSpaces()
            if current == "#" || current == nil {
                let startLine = row + 1
                nextLine()
                guard row < lines.count, !isMarker("---", row), !isMarker("...", row) else {
                    throw YAMLError.syntax(line: startLine, reason: "unterminated flow collection")
                }
                continue
            }
            return
        }
    }
}
