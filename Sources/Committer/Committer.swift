import Foundation
import Identity
import Ledger
import WeftCore
import WeftCrypto

/// The validate-and-commit phase: takes ordered blocks strictly in sequence (buffering early ones),
/// checks their orderer signatures, validates every transaction — signatures and policies in parallel
/// across cores, then MVCC in block order — and commits the block with its validation flags in one
/// ledger transaction. Then it streams the block's events to subscribers.
///
/// A bad transaction never stops the committer: it gets a validation code and stays in the block.
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

        public init(
            ledger: Ledger, transactionCheck: TransactionCheck, blockSignatureCheck: BlockSignatureCheck,
            now: @escaping @Sendable () -> Date = { Date() }, maxPendingBlocks: Int = 1000
        ) {
            self.ledger = ledger
            self.transactionCheck = transactionCheck
            self.blockSignatureCheck = blockSignatureCheck
            self.now = now
            self.maxPendingBlocks = maxPendingBlocks
        }
    }

    /// Time spent per stage, summed over the blocks committed (like Fabric's `state_validation`,
    /// `block_commit`, `state_commit` log lines).
    public struct StageTimes: Sendable {
        public var signatureChecks: Duration = .zero
        public var mvcc: Duration = .zero
        public var ledgerCommit: Duration = .zero
        public var blocks = 0
        public var transactions = 0
    }

    private let configuration: Configuration
    private var pending: [UInt64: Block] = [:]
    private var subscribers: [UUID: AsyncStream<BlockEvents>.Continuation] = [:]
    /// Stage times since the committer started.
    public private(set) var stageTimes = StageTimes()

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// The number of blocks committed.
    public var height: UInt64 { configuration.ledger.chainInfo.height }

    /// Accepts a block from the ordering service. A block already committed is ignored; a block ahead of
    /// the next height is buffered; the next block is validated and committed, followed by any buffered
    /// blocks that then become next. Returns the events of the blocks committed by this call.
    @discardableResult
    public func receive(_ block: Block) async throws(CommitterError) -> [BlockEvents] {
        let next = height
        if block.number < next { return [] }
        if block.number > next {
            guard pending.count < configuration.maxPendingBlocks || pending[block.number] != nil else {
                throw .tooManyPendingBlocks(limit: configuration.maxPendingBlocks)
            }
            pending[block.number] = block
            return []
        }
        var committed = [try await commit(block)]
        while let buffered = pending.removeValue(forKey: height) {
            committed.append(try await commit(buffered))
        }
        pending = pending.filter { $0.key >= height }
        return committed
    }

    /// Events of every block from `start` on: first the committed ones, then each new block as it commits.
    public func events(from start: UInt64) -> AsyncStream<BlockEvents> {
        let (stream, continuation) = AsyncStream.makeStream(of: BlockEvents.self)
        var number = start
        while number < height, let block = try? configuration.ledger.read({ try $0.block(number: number) }) {
            continuation.yield(BlockEvents(committed: block))
            number += 1
        }
        let id = UUID()
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    private func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    private func commit(_ block: Block) async throws(CommitterError) -> BlockEvents {
        if let reason = configuration.blockSignatureCheck.failure(of: block, at: configuration.now()) {
            throw .blockSignatureInvalid(blockNumber: block.number, reason: reason)
        }
        let clock = ContinuousClock()
        let checkStart = clock.now
        var checked = await Self.checkInParallel(block.data, with: configuration.transactionCheck)
        let mvccStart = clock.now
        do {
            try configuration.ledger.read { snapshot in
                try Self.markDuplicates(&checked, in: snapshot)
                let codes = try MVCCValidator().validate(
                    readWriteSets: checked.map(\.readWriteSet), codes: checked.map(\.code), against: snapshot)
                for index in checked.indices { checked[index].code = codes[index] }
            }
        } catch {
            throw .ledger("reading committed state for validation failed: \(error)")
        }
        let commitStart = clock.now
        let transactions = checked.map { item in
            CommittedTransaction(txID: item.isAuthenticated ? item.txID ?? "" : "", validationCode: item.code,
                                 writes: item.code.isValid ? item.readWriteSet?.writes ?? [] : [])
        }
        let stored: Block
        do {
            stored = try configuration.ledger.commit(block, transactions: transactions)
        } catch {
            throw .ledger("\(error)")
        }
        let end = clock.now
        stageTimes.signatureChecks += mvccStart - checkStart
        stageTimes.mvcc += commitStart - mvccStart
        stageTimes.ledgerCommit += end - commitStart
        stageTimes.blocks += 1
        stageTimes.transactions += block.data.count

        let events = BlockEvents(
            blockNumber: block.number,
            transactions: checked.enumerated().map { index, item in
                .init(txID: item.txID ?? "", txNumber: UInt32(index), code: item.code,
                      chaincodeEvent: item.code.isValid ? item.event : nil)
            },
            commitHash: stored.metadata.commitHash)
        for continuation in subscribers.values { continuation.yield(events) }
        return events
    }

    /// Runs `check` over the envelopes on every core, keeping block order.
    static func checkInParallel(_ data: [[UInt8]], with check: TransactionCheck) async -> [CheckedTransaction] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, data.count))
        let chunk = (data.count + workers - 1) / max(workers, 1)
        return await withTaskGroup(of: (Int, [CheckedTransaction]).self) { group in
            for worker in 0..<workers {
                let range = (worker * chunk)..<min((worker + 1) * chunk, data.count)
                guard !range.isEmpty else { continue }
                let slice = Array(data[range])
                group.addTask { (worker, slice.map(check.check)) }
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
