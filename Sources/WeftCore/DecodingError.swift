/// Why a byte string is not the canonical encoding of the expected type. Every case names the
/// byte offset where decoding stopped.
public enum DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended before a field of `needed` bytes.
    case truncated(offset: Int, needed: Int, remaining: Int, what: String)
    /// A length or count prefix claims more than the input still holds.
    case lengthExceedsInput(offset: Int, length: Int, remaining: Int)
    /// A field holds a value its type does not allow (an unknown enum tag, a bad boolean, …).
    case invalidValue(offset: Int, String)
    /// The value ended before the input did.
    case trailingBytes(offset: Int, count: Int)

    public var description: String {
        switch self {
        case let .truncated(offset, needed, remaining, what):
            "truncated input at byte \(offset): \(what) needs \(needed) bytes, \(remaining) remain"
        case let .lengthExceedsInput(offset, length, remaining):
            "length prefix at byte \(offset) claims \(length), but only \(remaining) bytes remain"
        case let .invalidValue(offset, reason):
            "invalid value at byte \(offset): \(reason)"
        case let .trailingBytes(offset, count):
            "\(count) unexpected trailing bytes at byte \(offset)"
        }
    }
}
