/// Parses policy text into a `PolicyExpression` (grammar in docs/policies.md).
///
/// A hand-written recursive-descent parser over characters: every error names the position, what was
/// expected and what was found. Keywords are case-insensitive; nesting is limited to
/// `maximumDepth` so hostile input cannot exhaust the stack.
struct PolicyParser {
    /// The deepest nesting of `AND`/`OR`/`OutOf` accepted.
    static let maximumDepth = 32

    private let characters: [Character]
    private var index = 0

    init(_ text: String) {
        characters = Array(text)
    }

    /// Parses the whole text as one expression.
    mutating func parse() throws(PolicyParseError) -> PolicyExpression {
        let expression = try parseExpression(depth: 0)
        skipSpaces()
        guard index == characters.count else {
            throw PolicyParseError(position: index, expected: "end of policy", found: describeHere())
        }
        return expression
    }

    private mutating func parseExpression(depth: Int) throws(PolicyParseError) -> PolicyExpression {
        skipSpaces()
        guard index < characters.count else {
            throw PolicyParseError(position: index, expected: Self.expressionStart, found: "end of input")
        }
        if characters[index] == "'" || characters[index] == "\"" { return .principal(try parsePrincipal()) }
        let start = index
        let word = readWord()
        switch word.lowercased() {
        case "and":
            return .and(try parseGate(depth: depth, keywordAt: start, counted: false).children)
        case "or":
            return .or(try parseGate(depth: depth, keywordAt: start, counted: false).children)
        case "outof":
            let gate = try parseGate(depth: depth, keywordAt: start, counted: true)
            return .outOf(gate.count, gate.children)
        case "any", "all", "majority":
            let quantifier = OrganizationQuantifier(rawValue: word.uppercased()) ?? .any
            return .organizations(quantifier, try parseChannelRole())
        default:
            index = start
            throw PolicyParseError(position: start, expected: Self.expressionStart, found: describeHere())
        }
    }

    private static let expressionStart = "a principal such as 'Org1.peer', AND(, OR(, OutOf(, ANY, ALL or MAJORITY"

    /// `( [count ,] expression {, expression} )` after AND, OR or OutOf.
    private mutating func parseGate(
        depth: Int, keywordAt start: Int, counted: Bool
    ) throws(PolicyParseError) -> (count: Int, children: [PolicyExpression]) {
        guard depth < Self.maximumDepth else {
            throw PolicyParseError(position: start, expected: "at most \(Self.maximumDepth) nested AND/OR/OutOf",
                                   found: "deeper nesting")
        }
        try expect("(")
        var count = 0
        var countPosition = index
        if counted {
            skipSpaces()
            countPosition = index
            count = try parseCount()
            try expect(",")
        }
        var children = [try parseExpression(depth: depth + 1)]
        while try parseSeparator() {
            children.append(try parseExpression(depth: depth + 1))
        }
        if counted, count > children.count {
            throw PolicyParseError(position: countPosition, expected: "a count of at most \(children.count) (the sub-policies listed)",
                                   found: String(count))
        }
        return (count, children)
    }

    /// Consumes `,` (true) or `)` (false).
    private mutating func parseSeparator() throws(PolicyParseError) -> Bool {
        skipSpaces()
        if index < characters.count, characters[index] == "," {
            index += 1
            return true
        }
        if index < characters.count, characters[index] == ")" {
            index += 1
            return false
        }
        throw PolicyParseError(position: index, expected: "',' or ')'", found: describeHere())
    }

    private mutating func parseCount() throws(PolicyParseError) -> Int {
        let start = index
        var digits = ""
        while index < characters.count, characters[index].isASCII, characters[index].isNumber {
            digits.append(characters[index])
            index += 1
        }
        guard !digits.isEmpty else {
            throw PolicyParseError(position: start, expected: "a count (a whole number ≥ 1)", found: describeHere())
        }
        guard let count = Int(digits), count >= 1 else {
            throw PolicyParseError(position: start, expected: "a count (a whole number ≥ 1)", found: digits)
        }
        return count
    }

    /// `'Org.role'` or `"Org.role"`; the organization is everything before the last dot.
    private mutating func parsePrincipal() throws(PolicyParseError) -> PolicyPrincipal {
        let quote = characters[index]
        let open = index
        index += 1
        let contentStart = index
        while index < characters.count, characters[index] != quote { index += 1 }
        guard index < characters.count else {
            throw PolicyParseError(position: open, expected: "a closing \(quote) for this principal", found: "end of input")
        }
        let content = characters[contentStart..<index]
        index += 1
        guard let dot = content.lastIndex(of: "."), dot > contentStart else {
            throw PolicyParseError(position: contentStart, expected: "'Organization.role', e.g. 'Org1.peer'",
                                   found: "'\(String(content))'")
        }
        let organization = String(content[contentStart..<dot])
        if let bad = organization.firstIndex(where: { !Self.isNameCharacter($0) }) {
            throw PolicyParseError(position: contentStart + organization.distance(from: organization.startIndex, to: bad),
                                   expected: "an organization name (letters, digits, '_', '-', '.')",
                                   found: "'\(organization[bad])'")
        }
        let roleText = String(content[(dot + 1)...])
        guard let role = PrincipalRole(rawValue: roleText) else {
            throw PolicyParseError(position: dot + 1, expected: Self.roles, found: "'\(roleText)'")
        }
        return PolicyPrincipal(organization: organization, role: role)
    }

    private static let roles = "a role (member, client, peer, orderer or admin)"

    /// The role after ANY/ALL/MAJORITY: `peer`, or `Org.peer` with the literal word `Org`.
    private mutating func parseChannelRole() throws(PolicyParseError) -> PrincipalRole {
        skipSpaces()
        var start = index
        var word = readWord()
        if word == "Org", index < characters.count, characters[index] == "." {
            index += 1
            start = index
            word = readWord()
        }
        guard let role = PrincipalRole(rawValue: word) else {
            index = start
            throw PolicyParseError(position: start, expected: Self.roles, found: describeHere())
        }
        return role
    }

    private mutating func expect(_ character: Character) throws(PolicyParseError) {
        skipSpaces()
        guard index < characters.count, characters[index] == character else {
            throw PolicyParseError(position: index, expected: "'\(character)'", found: describeHere())
        }
        index += 1
    }

    private mutating func readWord() -> String {
        var word = ""
        while index < characters.count, characters[index].isASCII, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" {
            word.append(characters[index])
            index += 1
        }
        return word
    }

    private mutating func skipSpaces() {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
    }

    /// The token at the current position, for error messages.
    private func describeHere() -> String {
        guard index < characters.count else { return "end of input" }
        if characters[index] == "'" { return "\"'\"" }
        var end = index
        while end < characters.count, end - index < 12, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" {
            end += 1
        }
        if end == index { end = index + 1 }
        return "'\(String(characters[index..<end]))'"
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-" || character == ".")
    }
}
