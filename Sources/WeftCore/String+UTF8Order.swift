/// Byte-wise comparison of strings, as the ledger's SQLite tables compare keys (BINARY collation, i.e.
/// `memcmp` of the UTF-8 bytes). Swift's `==` and `<` on `String` follow Unicode canonical equivalence
/// instead — "é" (U+00E9) equals "e\u{301}" — so they must not decide anything about stored keys:
/// two spellings that are one `String` are two keys in state.
extension String {
    /// Whether `self` and `other` have exactly the same UTF-8 bytes.
    @inlinable
    public func hasSameUTF8(as other: String) -> Bool {
        utf8.elementsEqual(other.utf8)
    }

    /// Whether `self` sorts before `other` by UTF-8 bytes (SQLite's BINARY order).
    @inlinable
    public func utf8Precedes(_ other: String) -> Bool {
        utf8.lexicographicallyPrecedes(other.utf8)
    }

    /// Whether `self` begins with the UTF-8 bytes of `prefix`.
    @inlinable
    public func hasUTF8Prefix(_ prefix: String) -> Bool {
        utf8.starts(with: prefix.utf8)
    }
}
