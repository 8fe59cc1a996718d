import Foundation

/// Runs long blocking test work (child processes, sleeps, big synchronous loops) on a thread of its own,
/// so it does not occupy one of the few threads of Swift's cooperative pool — on a 2-core machine, two
/// such tests would otherwise starve every async test running beside them.
public enum OffPool {
    /// Runs `body` on a new thread and returns its result.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
