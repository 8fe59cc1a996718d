import FuzzSupport
import Raft
import WeftCore

/// A Raft message as it arrives from another orderer: never crashes, and what decodes is canonical.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRaftMessage(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    RoundTrip.checkCanonical(Message.self, RoundTrip.bytes(data, size))
    return 0
}
