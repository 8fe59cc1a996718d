import FuzzSupport
import WeftCore

/// `Block` from network or disk bytes: never crashes, and what decodes is canonical (round-trips to
/// the same bytes and value).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBlock(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    RoundTrip.checkCanonical(Block.self, RoundTrip.bytes(data, size))
    return 0
}
