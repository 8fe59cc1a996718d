import FuzzSupport
import WeftCore

/// `Envelope` from network or disk bytes: never crashes, and what decodes is canonical (round-trips to
/// the same bytes and value).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvelope(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    RoundTrip.checkCanonical(Envelope.self, RoundTrip.bytes(data, size))
    return 0
}
