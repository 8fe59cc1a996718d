import Foundation
import Orderer

/// An `OrderingClock` that moves only when a test calls `advance(by:)`; sleepers whose deadline it
/// passes wake up.
///
/// `@unchecked Sendable`: `current`, `sleepers` and `nextID` are only touched under `lock`.
final class ManualClock: OrderingClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Duration = .zero
    private var sleepers: [(id: Int, deadline: Duration, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID = 0

    var now: Duration {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func sleep(until deadline: Duration) async throws {
        let id = ticket()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                if deadline <= current {
                    lock.unlock()
                    continuation.resume()
                } else if Task.isCancelled {
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                } else {
                    sleepers.append((id, deadline, continuation))
                    lock.unlock()
                }
            }
        } onCancel: {
            lock.lock()
            let cancelled = sleepers.first { $0.id == id }
            sleepers.removeAll { $0.id == id }
            lock.unlock()
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward and wakes every sleeper whose deadline has come.
    func advance(by duration: Duration) {
        lock.lock()
        current += duration
        let now = current
        let due = sleepers.filter { $0.deadline <= now }
        sleepers.removeAll { $0.deadline <= now }
        lock.unlock()
        for sleeper in due { sleeper.continuation.resume() }
    }

    private func ticket() -> Int {
        lock.lock()
        defer { lock.unlock() }
        nextID += 1
        return nextID
    }
}
