#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftRPC
import WeftTracing

/// One commit-event stream per gateway, shared by every `submit`: a transaction registers its txID
/// before it is broadcast and is resumed when a block reports it. Outcomes seen before anyone asked
/// are kept briefly, so a waiter that registers late still gets its answer.
actor CommitListener {
    private var waiters: [String: CheckedContinuation<(UInt64, ValidationCode)?, Never>] = [:]
    private var early: [String: (UInt64, ValidationCode)] = [:]
    private var earlyOrder: [String] = []
    private var task: Task<Void, Never>?
    /// The block after the last one seen; a reopened stream resumes there, so nothing is missed.
    private var nextBlock: UInt64?
    /// How often a stream ended and was reopened, and why the last one ended.
    private(set) var reopenings = 0
    private(set) var lastEnd: String?

    /// Starts listening from block `start`, unless already listening: `open(block)` opens a commit-event
    /// stream from a block. When a stream ends (a peer restarted, a connection dropped), it is reopened
    /// from the block after the last one seen; waiters only ever time out.
    func startIfNeeded(from start: UInt64, _ open: @escaping @Sendable (UInt64) async throws -> RPCResponseStream) {
        guard task == nil else { return }
        nextBlock = start
        // The stream serves every later submit too, so it joins no submit's trace.
        task = Task { await WeftTracing.outsideTrace { await self.listen(from: start, open) } }
    }

    /// Reads commit events until cancelled, reopening the stream whenever it ends.
    private func listen(from start: UInt64, _ open: @Sendable (UInt64) async throws -> RPCResponseStream) async {
        while !Task.isCancelled {
            var reason = "the peer ended the stream"
            do {
                for try await item in try await open(self.nextBlock ?? start) {
                    guard let block = try? BlockEvents(canonicalBytes: item) else { continue }
                    self.deliver(block)
                }
            } catch {
                reason = "\(error)"
            }
            if Task.isCancelled { break }
            self.ended(because: reason)
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Stops listening.
    func stop() {
        task?.cancel()
        task = nil
    }

    var isListening: Bool { task != nil }

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

    private func ended(because reason: String) {
        reopenings += 1
        lastEnd = reason
    }

    private func deliver(_ block: BlockEvents) {
        nextBlock = max(nextBlock ?? 0, block.blockNumber + 1)
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
}
