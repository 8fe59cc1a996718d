/// The W3C trace context (`traceparent`, `tracestate`, …) a request or stream request carries when
/// the caller traces the call: the same key/value pairs an HTTP request would carry as headers.
///
/// On the wire it follows the kind byte, whose high bit (`FrameKind.traceContextFlag`) says it is
/// there, and precedes the body (`docs/wire.md`, "Trace context"):
///
/// ```
/// u16 length       bytes of the entries that follow (at most `maximumLength`)
/// entries, each:   u8 key length (≥ 1), key, u16 value length, value
/// ```
///
/// Keys and values are printable ASCII (a key has no spaces), as HTTP header names and values of the
/// W3C formats are; the decoder refuses anything else, so what it yields re-encodes to the same
/// bytes. What the values mean is the tracer's business: a value it cannot parse starts no trace.
public struct TraceContext: Hashable, Sendable {
    /// One key/value pair, e.g. `traceparent` → `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`.
    public struct Entry: Hashable, Sendable {
        public var key: String
        public var value: String

        /// Creates an entry; `key` and `value` should be printable ASCII (a frame with others is refused).
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The most bytes of entries one frame carries: a `traceparent` (55 bytes) and a `tracestate`
    /// of the W3C maximum (512) fit with room to spare.
    public static let maximumLength = 1024

    /// The entries, in wire order.
    public var entries: [Entry]

    /// Creates a context from entries in the order they are to be sent.
    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// The value of the first entry named `key`.
    public subscript(key: String) -> String? {
        entries.first { $0.key == key }?.value
    }

    /// Adds an entry at the end.
    public mutating func append(key: String, value: String) {
        entries.append(Entry(key: key, value: value))
    }

    /// Bytes of the entries on the wire, without the `u16` length before them.
    public var encodedLength: Int {
        entries.reduce(0) { $0 + 3 + $1.key.utf8.count + $1.value.utf8.count }
    }

    /// Appends the entries' wire bytes (without the `u16` length) to `bytes`.
    func encodeEntries(into bytes: inout [UInt8]) {
        for entry in entries {
            bytes.append(UInt8(truncatingIfNeeded: entry.key.utf8.count))
            bytes += entry.key.utf8
            let count = entry.value.utf8.count
            bytes += [UInt8(truncatingIfNeeded: count >> 8), UInt8(truncatingIfNeeded: count)]
            bytes += entry.value.utf8
        }
    }

    /// Whether every key and value is one the decoder accepts, and the whole fits in `maximumLength`.
    public var isEncodable: Bool {
        encodedLength <= Self.maximumLength && entries.allSatisfy {
            (1...255).contains($0.key.utf8.count) && $0.key.utf8.allSatisfy(Self.isKeyByte)
                && $0.value.utf8.allSatisfy(Self.isValueByte)
        }
    }

    /// Decodes the entries of a context field (the bytes after its `u16` length).
    init(decoding bytes: ArraySlice<UInt8>) throws(TraceContextFailure) {
        var entries: [Entry] = []
        var index = bytes.startIndex
        func take(_ count: Int) throws(TraceContextFailure) -> ArraySlice<UInt8> {
            guard bytes.endIndex - index >= count else { throw .truncatedEntry }
            defer { index += count }
            return bytes[index..<index + count]
        }
        while index < bytes.endIndex {
            let keyLength = Int(try take(1).first ?? 0)
            guard keyLength > 0 else { throw .emptyKey }
            let key = try take(keyLength)
            guard key.allSatisfy(Self.isKeyByte) else { throw .invalidKey }
            let lengthBytes = try take(2)
            let valueLength = Int(lengthBytes[lengthBytes.startIndex]) << 8 | Int(lengthBytes[lengthBytes.startIndex + 1])
            let value = try take(valueLength)
            guard value.allSatisfy(Self.isValueByte) else { throw .invalidValue }
            entries.append(Entry(key: String(decoding: key, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
        }
        self.entries = entries
    }

    /// `!` to `~`: printable ASCII without the space.
    static func isKeyByte(_ byte: UInt8) -> Bool { (0x21...0x7E).contains(byte) }
    /// Printable ASCII, space included.
    static func isValueByte(_ byte: UInt8) -> Bool { (0x20...0x7E).contains(byte) }
}

/// Why a frame's trace context field is malformed (`WireError.malformedTraceContext`).
public enum TraceContextFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field's length exceeds `TraceContext.maximumLength` or the frame.
    case tooLong(Int)
    /// An entry runs past the end of the field.
    case truncatedEntry
    /// An entry's key is empty.
    case emptyKey
    /// A key byte is not printable ASCII (or is a space).
    case invalidKey
    /// A value byte is not printable ASCII.
    case invalidValue
    /// The flag is set on a kind other than request or stream request.
    case notARequest(FrameKind)

    public var description: String {
        switch self {
        case .tooLong(let length): "a trace context of \(length) bytes (at most \(TraceContext.maximumLength), within the frame)"
        case .truncatedEntry: "an entry runs past the end of the trace context"
        case .emptyKey: "an entry with an empty key"
        case .invalidKey: "a key that is not printable ASCII"
        case .invalidValue: "a value that is not printable ASCII"
        case .notARequest(let kind): "a trace context on a \(kind) frame (only requests carry one)"
        }
    }
}
