/// Trimming without Foundation (whose module brings ICU into a static binary), with the character
/// classes of Foundation's `CharacterSet.whitespaces` and `.whitespacesAndNewlines`.
extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (Unicode category Zs and U+0009).
    public func trimmingWhitespace() -> String {
        trimmingScalars { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// The text without leading and trailing spaces, tabs and line breaks (categories Z*, U+000A–U+000D, U+0085).
    public func trimmingWhitespaceAndNewlines() -> String {
        trimmingScalars { scalar in
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: true
            default: scalar == "\t" || ("\n"..."\r").contains(scalar) || scalar == "\u{85}"
            }
        }
    }

    /// The text without leading and trailing Unicode scalars for which `isTrimmed` holds.
    public func trimmingScalars(where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }),
              let last = scalars.lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
