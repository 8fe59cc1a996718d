import FuzzSupport
import WeftCore

/// `BlockMetadata` from network or disk bytes: never crashes, and what decodes is canonical (round-trips to
/// the same bytes and value).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBlockMetadata(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    RoundTrip.checkCanonical(BlockMetadata.self, RoundTrip.bytes(data, size))
    return 0
}
