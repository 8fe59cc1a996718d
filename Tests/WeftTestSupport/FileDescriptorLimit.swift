import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The process's limit on open file descriptors (`RLIMIT_NOFILE`). A test that opens thousands of
/// sockets raises the soft limit first: many systems start processes at 1,024, and a test that holds
/// 1,000 client sockets plus the server's 1,000 in one process would otherwise fail with EMFILE on one
/// machine and pass on another. Child processes started afterwards (nodes) inherit the raised limit.
public enum FileDescriptorLimit {
    /// The current soft limit.
    public static var current: UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        return UInt64(limit.rlim_cur)
    }

    /// Raises the soft limit to at least `minimum` (within the hard limit, which an unprivileged
    /// process cannot exceed); returns the soft limit now in force, so the caller can check it.
    @discardableResult
    public static func raise(toAtLeast minimum: UInt64) -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        guard UInt64(limit.rlim_cur) < minimum else { return UInt64(limit.rlim_cur) }
        limit.rlim_cur = rlim_t(min(minimum, UInt64(limit.rlim_max)))
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return current
    }
}
