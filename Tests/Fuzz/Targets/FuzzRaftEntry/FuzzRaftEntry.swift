import FuzzSupport
import Raft
import WeftCore

/// A Raft log entry as read back from the log file or received in an append: never crashes, and what
/// decodes is canonical.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRaftEntry(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    RoundTrip.checkCanonical(Entry.self, RoundTrip.bytes(data, size))
    return 0
}
