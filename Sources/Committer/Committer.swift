#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import Ledger
import WeftCore
import WeftCrypto

/// The validate-and-commit phase: takes ordered blocks strictly in sequence (buffering early ones),
/// checks their orderer signatures, validates every transaction — signatures and policies in parallel
/// across cores, then MVCC in block order — and commits the block with its validation flags in one
/// ledger transaction. Then it streams the block's events to subscribers.
///
/// A bad transaction never stops the committer: it gets a validation code and stays in the block. A
/// bad block (not signed by the orderers, or not the next link of the chain) is refused and dropped, so
/// the same block from a good source commits. A failed commit (I/O, a full disk) is retried with
/// backoff, reported in `health` meanwhile, and the committer goes on once the cause is gone.
public actor Committer {
    /// What a committer needs.
    public struct Configuration: Sendable {
        public var ledger: Ledger
        public var transactionCheck: TransactionCheck
        public var blockSignatureCheck: BlockSignatureCheck
        /// The clock orderer certificates are checked against.
        public var now: @Sendable () -> Date
        /// The most blocks buffered ahead of the next one to commit.
        public var maxPendingBlocks: Int
        /// The waits between attempts to commit a block whose commit failed: the first wait, doubled
        /// after each further failure up to the last.
        public var retryBackoff: ClosedRange<Duration>
        /// Called on the committer after each block is committed, with what the commit measured (the
        /// node's metrics). Must return quickly.
        public var observer: (@Sendable (BlockCommitRecord) -> Void)?
        /// How configuration blocks are decided; nil treats their entries as malformed transactions.
        public var configurationUpdates: ConfigurationUpdates?

        public init(
            ledger: Ledger, transactionCheck: TransactionCheck, blockSignatureCheck: BlockSignatureCheck,
            now: @escaping @Sendable () -> Date = { Date() }, maxPendingBlocks: Int = 1000,
            retryBackoff: ClosedRange<Duration> = .milliseconds(100)...(.seconds(10)),
            observer: (@Sendable (BlockCommitRecord) -> Void)? = nil, configurationUpdates: ConfigurationUpdates? = nil
        ) {
            self.observer = observer
            self.configurationUpdates = configurationUpdates
            self.ledger = ledger
            self.transactionCheck = transactionCheck
            self.blockSignatureCheck = blockSignatureCheck
            self.now = now
            self.maxPendingBlocks = maxPendingBlocks
            self.retryBackoff = retryBackoff
        }
    }

    /// Time spent per stage, summed over the blocks committed (like Fabric's `state_validation`,
    /// `block_commit`, `state_commit` log lines). Signature checks overlap the commit of earlier blocks;
    /// `signatureChecks` is the time the commit had to wait for them.
    public struct StageTimes: Sendable {
        public var signatureChecks: Duration = .zero
        public var mvcc: Duration = .zero
        public var ledgerCommit: Duration = .zero
        public var blocks = 0
        public var transactions = 0
    }

    /// A block waiting for its turn, with its order-independent checks already running.
    private struct PendingBlock {
        let block: Block
        let checks: Task<[CheckedTransaction], Never>
    }

    let configuration: Configuration
    /// The checks in force: the configuration's at first, each valid configuration block's after it.
    private nonisolated let rules: CommitRulesBox
    private var pending: [UInt64: PendingBlock] = [:]
    private var draining = false
    private var capacityWaiters: [CheckedContinuation<Void, Never>] = []
    private var heightWaiters: [(height: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    /// Events streams waiting for a block: the height they wait for, by waiter id.
    private var blockWaiters: [UInt64: (height: UInt64, continuation: CheckedContinuation<Void, any Error>)] = [:]
    private var nextWaiterID: UInt64 = 0
    /// The events of the most recent blocks, so live subscribers need not read them back.
    private var recent: [UInt64: BlockEvents] = [:]
    private var healthSubscribers: [UUID: AsyncStream<CommitterHealth>.Continuation] = [:]
    /// Set when the next block to commit was refused at commit (it did not link): later blocks from
    /// the same source are refused too until the next block comes again.
    private var refusal: CommitterError?
    /// Stage times since the committer started.
    public private(set) var stageTimes = StageTimes()
    /// Whether blocks are committing, or which block's commit is failing and being retried: for the
    /// node's health check.
    public private(set) var health = CommitterHealth.healthy

    public init(configuration: Configuration) {
        self.configuration = configuration
        rules = CommitRulesBox(CommitRules(transactionCheck: configuration.transactionCheck,
                                           blockSignatureCheck: configuration.blockSignatureCheck))
    }

    /// The checks in force now.
    public nonisolated var currentRules: CommitRules { rules.current }

    /// The number of blocks committed.
    public var height: UInt64 { configuration.ledger.chainInfo.height }

    /// Accepts a block and commits it, with every block buffered behind it, before returning their
    /// events. A block already committed is ignored; a block ahead of the next height is buffered and
    /// `[]` returned. If another call is already committing, it commits this block too and this call
    /// returns `[]`.
    /// A block that is not signed by the orderers, or whose data does not match its header, is refused
    /// at once (`refusesBlock`); a failed commit throws and the block stays buffered for the next call.
    @discardableResult
    public nonisolated func receive(_ block: Block) async throws(CommitterError) -> [BlockEvents] {
        try refuseUnlessOrdered(block)
        return try await receiveChecked(block)
    }

    private func receiveChecked(_ block: Block) async throws(CommitterError) -> [BlockEvents] {
        try accept(block)
        guard !draining else { return [] }
        draining = true
        defer { draining = false }
        return try await drain()
    }

    /// Accepts a block for a pipelined commit and returns at once: its transaction checks start now, in
    /// parallel with the commit of earlier blocks, and it is committed in the background when its turn
    /// comes. Waits while `maxPendingBlocks` blocks are already waiting (backpressure for the deliver
    /// loop). Events go to subscribers.
    ///
    /// Throws, so the caller drops its source and fetches the block elsewhere, when the block is not
    /// signed by the orderers or its data does not match its header, and when the block the chain
    /// needs next from this source was refused at commit (`refusesBlock`). A failed commit does not
    /// throw: the committer retries it with backoff and reports it in `health` meanwhile.
    public nonisolated func submit(_ block: Block) async throws(CommitterError) {
        try refuseUnlessOrdered(block)
        try await submitChecked(block)
    }

    private func submitChecked(_ block: Block) async throws(CommitterError) {
        while pending.count >= configuration.maxPendingBlocks {
            await withCheckedContinuation { capacityWaiters.append($0) }
        }
        try accept(block)
        guard !draining else { return }
        draining = true
        Task { await self.drainInBackground() }
    }

    /// Refuses, off the actor, a block the orderers did not sign or whose data is not what they signed.
    private nonisolated func refuseUnlessOrdered(_ block: Block) throws(CommitterError) {
        guard block.number >= configuration.ledger.chainInfo.height else { return }
        if let reason = rules.current.blockSignatureCheck.failure(of: block, at: configuration.now()) {
            throw .blockSignatureInvalid(blockNumber: block.number, reason: reason)
        }
        guard Block.dataHash(of: block.data) == block.header.dataHash else {
            throw .blockRefused(blockNumber: block.number, reason: "its data is not what its header's data hash covers")
        }
    }

    /// Returns once `height` blocks are committed.
    public func waitUntil(height target: UInt64) async {
        while height < target {
            await withCheckedContinuation { heightWaiters.append((target, $0)) }
        }
    }

    /// Commits in the background until no buffered block is next in line, retrying a failed commit
    /// with backoff. Stops when a block is refused (the source must send it again) or the ledger closed.
    private func drainInBackground() async {
        defer { draining = false }
        var delay = configuration.retryBackoff.lowerBound
        var attempts = 0
        while true {
            do throws(CommitterError) {
                _ = try await drain()
                return
            } catch {
                guard !error.refusesBlock, error != .ledgerClosed, pending[height] != nil else { return }
                attempts += 1
                setHealth(.retrying(blockNumber: height, attempts: attempts, failure: error))
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, configuration.retryBackoff.upperBound)
            }
        }
    }

    /// Buffers `block` and starts its order-independent checks. Refuses blocks beyond the next one while
    /// the next one is wanted again after a refusal.
    private func accept(_ block: Block) throws(CommitterError) {
        if let refusal {
            guard block.number == height else { throw refusal }
            self.refusal = nil
        }
        guard block.number >= height, pending[block.number] == nil else { return }
        guard pending.count < configuration.maxPendingBlocks || block.number == height else {
            throw .tooManyPendingBlocks(limit: configuration.maxPendingBlocks)
        }
        pending[block.number] = startChecks(block)
    }

    /// Starts the order-independent checks of `block` under the rules in force. A configuration block
    /// has none: it is decided when its turn comes.
    private func startChecks(_ block: Block) -> PendingBlock {
        let check = rules.current.transactionCheck
        let isConfiguration = configuration.configurationUpdates != nil && block.configurationEntry != nil
        return PendingBlock(block: block, checks: Task.detached {
            isConfiguration ? [] : await Self.checkInParallel(block.data, with: check)
        })
    }

    /// A configuration block committed: blocks buffered behind it were checked under the old rules.
    /// Each is checked again under the new ones; one whose signatures the new rules refuse is dropped
    /// with every block after it, to be fetched again.
    private func recheckPending(after number: UInt64) {
        let signatureCheck = rules.current.blockSignatureCheck
        for key in pending.keys.sorted() where key > number {
            guard let block = pending[key]?.block else { continue }
            if let reason = signatureCheck.failure(of: block, at: configuration.now()) {
                refuse(from: key, because: .blockSignatureInvalid(blockNumber: key, reason: reason))
                return
            }
            pending[key] = startChecks(block)
        }
    }

    /// Commits every buffered block that is next in line. A block refused at commit is dropped with
    /// every block buffered after it; a block whose commit failed stays buffered for a retry.
    private func drain() async throws(CommitterError) -> [BlockEvents] {
        var committed: [BlockEvents] = []
        while let next = pending[height] {
            let clock = ContinuousClock()
            let checkStart = clock.now
            let checks = await next.checks.value
            let waited = clock.now - checkStart
            stageTimes.signatureChecks += waited
            do throws(CommitterError) {
                committed.append(try await commit(next.block, checked: checks, waitedForChecks: waited))
            } catch {
                if error.refusesBlock { refuse(from: next.block.number, because: error) }
                throw error
            }
            pending[next.block.number] = nil
            setHealth(.healthy)
            for waiter in capacityWaiters { waiter.resume() }
            capacityWaiters = []
            let reached = height
            let (ready, waiting) = (heightWaiters.filter { $0.height <= reached }, heightWaiters.filter { $0.height > reached })
            heightWaiters = waiting
            for waiter in ready { waiter.continuation.resume() }
            for (id, waiter) in blockWaiters where waiter.height <= reached {
                blockWaiters[id] = nil
                waiter.continuation.resume()
            }
        }
        pending = pending.filter { $0.key >= height }
        return committed
    }

    /// Returns once block `number` is committed; throws `CancellationError` when the waiting task
    /// is cancelled (its waiter is removed, so abandoned streams leave nothing behind).
    func waitForBlock(_ number: UInt64) async throws {
        while height <= number {
            try Task.checkCancellation()
            let id = nextWaiterID
            nextWaiterID += 1
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    blockWaiters[id] = (number + 1, continuation)
                }
            } onCancel: {
                Task { await self.cancelWaiter(id) }
            }
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        blockWaiters.removeValue(forKey: id)?.continuation.resume(throwing: CancellationError())
    }

    /// The events of block `number` if it is one of the most recent.
    func recentEvents(_ number: UInt64) -> BlockEvents? { recent[number] }

    /// How many event streams wait for a block now.
    public var waitingEventStreams: Int { blockWaiters.count }


    /// Drops the buffered blocks from `number` on (they chain onto a refused block) and refuses later
    /// blocks until block `number` comes again.
    private func refuse(from number: UInt64, because error: CommitterError) {
        pending = pending.filter { $0.key < number }
        refusal = error
        setHealth(.healthy)
        for waiter in capacityWaiters { waiter.resume() }
        capacityWaiters = []
    }

    /// Changes of `health`: the current value first, then one value per new incident or recovery (not
    /// one per retry), so a subscriber can log each failure once.
    public func healthChanges() -> AsyncStream<CommitterHealth> {
        let (stream, continuation) = AsyncStream.makeStream(of: CommitterHealth.self)
        continuation.yield(health)
        let id = UUID()
        healthSubscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribeFromHealth(id) }
        }
        return stream
    }

    private func unsubscribeFromHealth(_ id: UUID) { healthSubscribers[id] = nil }

    private func setHealth(_ new: CommitterHealth) {
        let isNewIncident = !new.isSameIncident(as: health)
        health = new
        guard isNewIncident else { return }
        for continuation in healthSubscribers.values { continuation.yield(new) }
    }

    /// Runs the order-dependent checks (duplicates, MVCC) on `checked` and commits the block, on the
    /// blocking executor; the actor stays free meanwhile.
    private func commit(_ block: Block, checked transactionChecks: [CheckedTransaction], waitedForChecks: Duration) async throws(CommitterError) -> BlockEvents {
        var decided = transactionChecks
        var change: ConfigurationUpdates.Accepted?
        if let updates = configuration.configurationUpdates, let entry = block.configurationEntry {
            switch updates.check(entry, block.number) {
            case .success(let accepted):
                change = accepted
                decided = [CheckedTransaction(txID: accepted.txID, isAuthenticated: true, code: .valid,
                                              readWriteSet: ReadWriteSet(writes: accepted.writes), event: nil)]
            case .failure(let refused):
                decided = [.invalid(.invalidConfigTransaction, txID: refused.txID)]
            }
        }
        let checked = decided
        let ledger = configuration.ledger
        let outcome = try await BlockingExecutor.shared.run { () throws(CommitterError) -> CommitOutcome in
            try Self.validateAndCommit(block, checked: checked, on: ledger)
        }
        stageTimes.mvcc += outcome.mvcc
        stageTimes.ledgerCommit += outcome.ledgerCommit
        stageTimes.blocks += 1
        stageTimes.transactions += block.data.count
        configuration.observer?(BlockCommitRecord(
            blockNumber: block.number,
            transactions: zip(outcome.events.transactions, checked).map { event, item in (event.code, item.chaincode) },
            txIDs: outcome.events.transactions.map(\.txID),
            signatureChecks: waitedForChecks, mvcc: outcome.mvcc, ledgerCommit: outcome.ledgerCommit))
        if let change, outcome.events.transactions.first?.code == .valid {
            rules.current = change.rules
            change.committed()
            recheckPending(after: block.number)
        }
        let defined = LifecycleRules.committedDefinitions(Array(zip(outcome.events.transactions.map(\.code), checked)))
        if !defined.isEmpty {
            var next = rules.current
            next.transactionCheck.define(defined)
            rules.current = next
            recheckPending(after: block.number)
        }
        recent[block.number] = outcome.events
        if block.number >= UInt64(Self.recentEventsCapacity) { recent[block.number - UInt64(Self.recentEventsCapacity)] = nil }
        return outcome.events
    }

    /// A committed block's events and the time its stages took.
    private struct CommitOutcome: Sendable {
        var events: BlockEvents
        var mvcc: Duration
        var ledgerCommit: Duration
    }

    /// Marks duplicates and MVCC conflicts in `checked`, reading through the committer's own read
    /// connection, then commits the block with its validation codes. Blocks on disk.
    private static func validateAndCommit(
        _ block: Block, checked: [CheckedTransaction], on ledger: Ledger
    ) throws(CommitterError) -> CommitOutcome {
        var checked = checked
        let clock = ContinuousClock()
        let mvccStart = clock.now
        do {
            try ledger.readForCommit { snapshot in
                try markDuplicates(&checked, in: snapshot)
                let codes = try MVCCValidator().validate(
                    readWriteSets: checked.map(\.readWriteSet), codes: checked.map(\.code), against: snapshot)
                for index in checked.indices { checked[index].code = codes[index] }
            }
        } catch LedgerError.closed {
            throw .ledgerClosed
        } catch {
            throw .ledger("reading committed state for validation failed: \(error)")
        }
        let commitStart = clock.now
        let transactions = checked.map { item in
            CommittedTransaction(txID: item.isAuthenticated ? item.txID ?? "" : "", validationCode: item.code,
                                 writes: item.code.isValid ? item.readWriteSet?.writes ?? [] : [])
        }
        let stored: Block
        do throws(LedgerError) {
            stored = try ledger.commit(block, transactions: transactions)
        } catch {
            throw error.commitFailure(blockNumber: block.number)
        }
        let events = BlockEvents(
            blockNumber: block.number,
            transactions: checked.enumerated().map { index, item in
                .init(txID: item.txID ?? "", txNumber: UInt32(index), code: item.code,
                      chaincodeEvent: item.code.isValid ? item.event : nil)
            },
            commitHash: stored.metadata.commitHash)
        return CommitOutcome(events: events, mvcc: commitStart - mvccStart, ledgerCommit: clock.now - commitStart)
    }

    /// Runs `check` over the envelopes on every core (on the blocking executor: ECDSA batches keep
    /// Swift's cooperative threads free), keeping block order.
    static func checkInParallel(_ data: [[UInt8]], with check: TransactionCheck) async -> [CheckedTransaction] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, data.count))
        let chunk = (data.count + workers - 1) / max(workers, 1)
        return await withTaskGroup(of: (Int, [CheckedTransaction]).self) { group in
            for worker in 0..<workers {
                let range = (worker * chunk)..<min((worker + 1) * chunk, data.count)
                guard !range.isEmpty else { continue }
                let slice = Array(data[range])
                group.addTask { (worker, await BlockingExecutor.shared.run { slice.map(check.check) }) }
            }
            var parts: [(Int, [CheckedTransaction])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// An authenticated txID seen earlier in the block, or already in the ledger, makes the transaction a
    /// duplicate — even when the earlier one was invalid, so a rejected transaction cannot be replayed
    /// into validity. Unauthenticated envelopes neither count nor are indexed (see `isAuthenticated`).
    static func markDuplicates(_ checked: inout [CheckedTransaction], in snapshot: LedgerSnapshot) throws {
        var seen: Set<String> = []
        for index in checked.indices where checked[index].isAuthenticated {
            guard let txID = checked[index].txID else { continue }
            let inLedger = try snapshot.transactionStatus(txID: txID) != nil
            if seen.contains(txID) || inLedger { checked[index].code = .duplicateTxID }
            seen.insert(txID)
        }
    }
}
