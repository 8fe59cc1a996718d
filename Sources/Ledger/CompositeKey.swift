/// Fabric's composite keys: `U+0000 objectType U+0000 attribute1 U+0000 attribute2 U+0000 …`.
///
/// The leading U+0000 keeps composite keys apart from simple keys (a plain range scan skips them), and
/// the separator after every part makes a prefix of whole attributes a key-range prefix. Components
/// must not contain U+0000 (the separator) or U+10FFFF (Fabric reserves it as the maximum).
public enum CompositeKey {
    static let separator: Character = "\u{0}"

    /// The composite key (or key prefix, with fewer attributes) for `objectType` and `attributes`.
    public static func make(objectType: String, attributes: [String]) throws(LedgerError) -> String {
        try check(objectType, what: "object type")
        if objectType.isEmpty { throw .invalidArgument("a composite key's object type must not be empty") }
        var key = "\u{0}" + objectType + "\u{0}"
        for attribute in attributes {
            try check(attribute, what: "attribute")
            key += attribute + "\u{0}"
        }
        return key
    }

    /// Splits a composite key into its object type and attributes; nil when `key` is not one.
    public static func split(_ key: String) -> (objectType: String, attributes: [String])? {
        let bytes = Array(key.utf8)
        guard bytes.count >= 3, bytes.first == 0, bytes.last == 0 else { return nil }
        let parts = bytes.dropFirst().dropLast().split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard let objectType = parts.first, !objectType.isEmpty else { return nil }
        return (objectType, Array(parts.dropFirst()))
    }

    private static func check(_ component: String, what: String) throws(LedgerError) {
        if component.unicodeScalars.contains(where: { $0.value == 0 || $0.value == 0x10FFFF }) {
            throw .invalidArgument("composite key \(what) \(component.debugDescription) contains U+0000 or U+10FFFF")
        }
    }
}
