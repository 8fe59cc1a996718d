import WeftCrypto

/// An extra name for nodes' certificates, written with placeholders: `{node}` stands for the node's
/// host name (`peer0.org1`) and `{index}` for its number (`0` for `peer0`). Examples:
/// `{node}.weft.svc.cluster.local`, `org1-peer-{index}.org1-peer.weft.svc.cluster.local`,
/// `peer{index}-org1`, `10.0.0.7`. Every name it expands to must be a DNS name (letters, digits, `-`,
/// labels separated by `.`) or an IPv4/IPv6 address. Where names go: docs/crypto-layout.md.
public struct HostPattern: Hashable, Sendable {
    /// The pattern as written.
    public let text: String

    /// The placeholders a pattern may use.
    public static let placeholders = ["{node}", "{index}"]

    /// A pattern; throws `.invalidSpecification` naming `field` (e.g. `--host` or
    /// `peerOrganizations[0].hosts[1]`) when it is empty, uses an unknown placeholder, or cannot
    /// expand to a DNS name or an IP address.
    public init(_ text: String, field: String) throws(IdentityError) {
        if let problem = Self.problem(in: text, node: "peer0.example", index: 0) {
            throw .invalidSpecification("\(field) '\(text)': \(problem)")
        }
        self.text = text
    }

    /// The name for the node with host name `node` and number `index`.
    public func expand(node: String, index: Int) -> String {
        Self.expand(text, node: node, index: index)
    }

    /// `text` with its placeholders replaced.
    static func expand(_ text: String, node: String, index: Int) -> String {
        text.replacing("{node}", with: node).replacing("{index}", with: String(index))
    }

    /// Why `text` is not a valid pattern for node `node` number `index`, or nil when it is.
    static func problem(in text: String, node: String, index: Int) -> String? {
        guard !text.isEmpty else { return "is empty; give a host name such as '{node}.example.com'" }
        var rest = Substring(text)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            let tail = rest[open...]
            guard let placeholder = Self.placeholders.first(where: { tail.hasPrefix($0) }) else {
                let shown = tail.prefix { $0 != "}" } + (tail.contains("}") ? "}" : "")
                return "unknown placeholder '\(shown)' (use {node} and {index})"
            }
            rest = tail.dropFirst(placeholder.count)
        }
        return Self.nameProblem(expand(text, node: node, index: index))
    }

    /// Why `name` is neither a DNS name nor an IP address, or nil when it is one of them.
    static func nameProblem(_ name: String) -> String? {
        if case .ipAddress = SubjectAlternativeName(host: name) { return nil }
        guard name.utf8.count <= 253 else { return "'\(name)' is longer than 253 characters" }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else { return "'\(name)' has an empty label (leading, trailing or double '.')" }
            guard label.utf8.count <= 63 else { return "label '\(label)' is longer than 63 characters" }
            guard label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                return "use letters, digits, '-' and '.' (a DNS name) or an IP address"
            }
            guard !label.hasPrefix("-"), !label.hasSuffix("-") else { return "label '\(label)' starts or ends with '-'" }
        }
        return nil
    }
}
