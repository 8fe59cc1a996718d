import Synchronization

/// Wakes the export loop: when a batch fills, when a flush is asked for, at shutdown — or, failing
/// those, after its schedule delay. A wake that comes while the loop is busy is kept (one, not a
/// count), so the loop looks at the queue again before it sleeps.
final class ExportWakeup: Sendable {
    private struct State {
        var isPending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Wakes the waiting loop, or the next `wait` when none waits.
    func wake() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard let waiter = state.waiter else {
                state.isPending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next wake, after `delay` at most, or when the task is cancelled.
    func wait(atMost delay: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Not when cancelled: the loop was woken otherwise, and a late wake would be a spurious one.
                if (try? await Task.sleep(for: delay)) != nil { self.wake() }
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow: Bool = state.withLock { state in
                        if state.isPending {
                            state.isPending = false
                            return true
                        }
                        state.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                self.wake()
            }
            group.cancelAll()
        }
    }
}
