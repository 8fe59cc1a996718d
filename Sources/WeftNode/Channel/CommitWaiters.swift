import Committer
import Ledger
import Synchronization
import WeftCore

/// Clients waiting for their transactions to commit (`commitStatus`). A waiter is registered before
/// the ledger is checked, so a commit between the two is not missed; it is answered from the ledger's
/// own transaction index once a committed block names its txID — the index holds only authenticated
/// transactions, so an envelope forged with somebody else's txID answers nobody.
///
/// The first look at the ledger is batched: the txIDs registered while one lookup runs are checked
/// together by the next, in one read transaction, so a gateway under load pays one ledger read for
/// many waiters instead of one each.
final class CommitWaiters: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<TransactionStatus?, Never>
        var timer: Task<Void, Never>?
    }

    private struct State {
        var nextID: UInt64 = 0
        var waiting: [String: [Waiter]] = [:]
        /// Registered txIDs the ledger has not been asked about yet.
        var unchecked: Set<String> = []
        /// A lookup of `unchecked` is running (it takes the next batch when it is done).
        var checking = false
    }

    private let state = Mutex(State())
    private let ledger: Ledger

    init(ledger: Ledger) { self.ledger = ledger }

    /// The status of `txID` once it is committed, or nil when it is not within `timeout`.
    func status(of txID: String, timeout: Duration) async -> TransactionStatus? {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let startsCheck = state.withLock { state in
                    state.waiting[txID, default: []].append(Waiter(id: id, continuation: continuation))
                    state.unchecked.insert(txID)
                    guard !state.checking else { return false }
                    state.checking = true
                    return true
                }
                if startsCheck { Task { await self.checkRegistered() } }
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    if !Task.isCancelled { self.resume(txID, id, with: nil) }
                }
                let attached = state.withLock { state in
                    guard let index = state.waiting[txID]?.firstIndex(where: { $0.id == id }) else { return false }
                    state.waiting[txID]?[index].timer = timer
                    return true
                }
                if !attached { timer.cancel() }
            }
        } onCancel: {
            resume(txID, id, with: nil)
        }
    }

    /// A block committed: answers the waiters of the txIDs it names that the ledger now indexes.
    func committed(_ record: BlockCommitRecord) {
        let named = state.withLock { state in record.txIDs.filter { !$0.isEmpty && state.waiting[$0] != nil } }
        guard !named.isEmpty else { return }
        Task {
            for (txID, status) in await lookUp(Set(named)) {
                resumeAll(txID, with: status)
            }
        }
    }

    /// Looks up the registered txIDs not yet checked, batch after batch, until none is left.
    private func checkRegistered() async {
        while true {
            let batch = state.withLock { state -> Set<String> in
                let batch = state.unchecked
                state.unchecked = []
                if batch.isEmpty { state.checking = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            for (txID, status) in await lookUp(batch) {
                resumeAll(txID, with: status)
            }
        }
    }

    private func lookUp(_ txIDs: Set<String>) async -> [String: TransactionStatus] {
        let ledger = self.ledger
        return (try? await ledger.runReading {
            try ledger.read { snapshot in
                var found: [String: TransactionStatus] = [:]
                for txID in txIDs { if let status = try snapshot.transactionStatus(txID: txID) { found[txID] = status } }
                return found
            }
        }) ?? [:]
    }

    private func resume(_ txID: String, _ id: UInt64, with status: TransactionStatus?) {
        let waiter = state.withLock { state -> Waiter? in
            guard var list = state.waiting[txID], let index = list.firstIndex(where: { $0.id == id }) else { return nil }
            let waiter = list.remove(at: index)
            state.waiting[txID] = list.isEmpty ? nil : list
            return waiter
        }
        waiter?.timer?.cancel()
        waiter?.continuation.resume(returning: status)
    }

    private func resumeAll(_ txID: String, with status: TransactionStatus) {
        let waiters = state.withLock { $0.waiting.removeValue(forKey: txID) } ?? []
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: status)
        }
    }
}
