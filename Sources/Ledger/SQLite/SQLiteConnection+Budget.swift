import CSQLite
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A statement's allowance of wall time: SQLite's progress handler checks it every few thousand
/// virtual-machine steps and interrupts the statement once it is spent (or once `cancel()` is called
/// from another thread), so a full-scan query cannot hold a read connection and a core for long.
public final class QueryBudget: Sendable {
    /// Monotonic nanoseconds at which the statement is interrupted.
    let deadline: UInt64
    /// The allowance, for messages.
    public let seconds: Double
    /// Set from any thread to interrupt at the next check; read by SQLite's handler.
    private let cancelled = NIOLockedValueBox(false)

    /// A budget of `seconds` from now.
    public init(seconds: Double) {
        self.seconds = seconds
        deadline = Self.now() + UInt64(max(seconds, 0) * 1e9)
    }

    /// Interrupts the statement at the handler's next check (from any thread).
    public func cancel() { cancelled.withLockedValue { $0 = true } }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool { cancelled.withLockedValue { $0 } }

    var isSpent: Bool {
        Self.now() >= deadline || cancelled.withLockedValue { $0 }
    }

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

extension SQLiteConnection {
    /// Runs `body` with `budget` installed as the connection's progress handler; a statement still
    /// running when the budget is spent fails with `SQLITE_INTERRUPT`.
    func withBudget<T>(_ budget: QueryBudget, _ body: () throws(LedgerError) -> T) throws(LedgerError) -> T {
        guard let handle else { throw .closed }
        let context = Unmanaged.passUnretained(budget).toOpaque()
        sqlite3_progress_handler(handle, 4_000, { context in
            guard let context else { return 0 }
            return Unmanaged<QueryBudget>.fromOpaque(context).takeUnretainedValue().isSpent ? 1 : 0
        }, context)
        defer { sqlite3_progress_handler(handle, 0, nil, nil) }
        return try withExtendedLifetime(budget) { () throws(LedgerError) -> T in try body() }
    }
}
