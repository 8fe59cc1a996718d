import Foundation
import WeftCore
import WeftRPC

/// One commit-event stream per gateway, shared by every `submit`: a transaction registers its txID
/// before it is broadcast and is resumed when a block reports it. Outcomes seen before anyone asked
/// are kept briefly, so a waiter that registers late still gets its answer.
actor CommitListener {
    private var waiters: [String: CheckedContinuation<(UInt64, ValidationCode)?, Never>] = [:]
    private var early: [String: (UInt64, ValidationCode)] = [:]
    private var earlyOrder: [String] = []
    private var task: Task<Void, Never>?
    private var failed = false

    /// Starts listening from `start` on `stream`, unless already listening.
    func startIfNeeded(_ open: @escaping @Sendable () async throws -> RPCResponseStream) {
        guard task == nil || failed else { return }
        failed = false
        task = Task {
            do {
                for try await item in try await open() {
                    guard let block = try? BlockEvents(canonicalBytes: item) else { continue }
                    self.deliver(block)
                }
            } catch {}
            self.streamEnded()
        }
    }

    var isListening: Bool { task != nil && !failed }

    /// Waits for `txID`'s outcome, or nil after `timeout` or when the stream ends.
    func outcome(of txID: String, timeout: Duration) async -> (UInt64, ValidationCode)? {
        if let known = early.removeValue(forKey: txID) { return known }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.resume(txID, with: nil)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { waiters[txID] = $0 }
    }

    private func deliver(_ block: BlockEvents) {
        for event in block.transactions {
            let outcome = (block.blockNumber, event.code)
            if let waiter = waiters.removeValue(forKey: event.txID) {
                waiter.resume(returning: outcome)
            } else {
                early[event.txID] = outcome
                earlyOrder.append(event.txID)
            }
        }
        while earlyOrder.count > 100_000 { early[earlyOrder.removeFirst()] = nil }
    }

    private func resume(_ txID: String, with outcome: (UInt64, ValidationCode)?) {
        waiters.removeValue(forKey: txID)?.resume(returning: outcome)
    }

    private func streamEnded() {
        failed = true
        for (_, waiter) in waiters { waiter.resume(returning: nil) }
        waiters = [:]
    }
}
