/// The W3C `traceparent` header (https://www.w3.org/TR/trace-context/, version 00):
/// `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`, lowercase; flag bit 0 is "sampled".
extension SpanContext {
    /// This context as a version-00 `traceparent` value (55 characters).
    public var traceparent: String {
        var bytes = Array("00-".utf8)
        bytes.reserveCapacity(55)
        Hex.append(traceID.high, to: &bytes)
        Hex.append(traceID.low, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Hex.append(spanID.value, to: &bytes)
        bytes += Array(isSampled ? "-01".utf8 : "-00".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses a caller's `traceparent` (and its `tracestate`, kept as it is) into a remote context;
    /// nil when the header is malformed, of version ff, or has an all-zero id — the W3C rule is then
    /// to start a new trace.
    ///
    /// A version above 00 is read by its first four fields, as the specification asks, so long as
    /// what follows them starts with `-`.
    public init?(traceparent: String, traceState: String? = nil) {
        let utf8 = Array(traceparent.utf8)
        guard utf8.count >= 55, utf8[2] == UInt8(ascii: "-"), utf8[35] == UInt8(ascii: "-"), utf8[52] == UInt8(ascii: "-"),
              let version = Hex.value(utf8[0..<2]), version != 0xFF,
              version == 0 ? utf8.count == 55 : (utf8.count == 55 || utf8[55] == UInt8(ascii: "-")),
              let high = Hex.value(utf8[3..<19]), let low = Hex.value(utf8[19..<35]), let traceID = TraceID(high: high, low: low),
              let parent = Hex.value(utf8[36..<52]), let spanID = SpanID(parent),
              let flags = Hex.value(utf8[53..<55])
        else { return nil }
        let state = traceState?.trimmingWhitespace()
        self.init(traceID: traceID, spanID: spanID, isSampled: flags & 1 == 1,
                  traceState: state?.isEmpty == false ? state : nil, isRemote: true)
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace (Unicode's, as `Character.isWhitespace` says).
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
