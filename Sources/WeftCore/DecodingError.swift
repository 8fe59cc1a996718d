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

extension DecodingError {
    /// This error with the field it occurred in named before its reason (`organizations: caCertificates:
    /// truncated input at byte 812: …`), for layouts whose errors reach people (configuration files).
    public func inField(_ name: String) -> DecodingError {
        switch self {
        case let .truncated(offset, needed, remaining, what):
            .truncated(offset: offset, needed: needed, remaining: remaining, what: "\(name): \(what)")
        case let .lengthExceedsInput(offset, length, remaining):
            .invalidValue(offset: offset, "\(name): a length prefix claims \(length) bytes, but only \(remaining) remain")
        case let .invalidValue(offset, reason):
            .invalidValue(offset: offset, "\(name): \(reason)")
        case let .trailingBytes(offset, count):
            .invalidValue(offset: offset, "\(name): \(count) unexpected trailing bytes")
        }
    }
}

extension ByteReader {
    /// Reads one field with `read`; an error names the field (`DecodingError.inField`).
    public mutating func field<T>(_ name: String, _ read: (inout ByteReader) throws(DecodingError) -> T) throws(DecodingError) -> T {
        do { return try read(&self) } catch { throw error.inField(name) }
    }
}
