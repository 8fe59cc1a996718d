import Committer
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import WeftCore

/// What a new peer without a snapshot spends to catch up: every block validated by the Committer
/// (orderer signature, creator and endorsement signatures, policy, duplicate txIDs, MVCC) and
/// committed with durable commits — the replay that `weft bench lifecycle --replay committer`
/// compares with joining by a snapshot.
struct CommitterReplay {
    /// Blocks endorsed and signed ahead of each timed batch (bounds the memory the blocks take).
    static let blocksPerBatch = 40

    /// What the replay took.
    struct Result {
        var blocks: Int
        var transactions: Int
        /// Submit of a batch to its last block committed, summed over the batches.
        var seconds: Double
        /// The committer's own split (signature checks wait, MVCC, ledger commit).
        var stages: Committer.StageTimes
    }

    /// Endorses `blocks` × 500 CreateAsset transactions (one new key each) under
    /// AND('Org1.peer','Org2.peer') with generated material in `folder`, signs the blocks as an
    /// orderer, and commits them through a committer over `ledger`, `blocksPerBatch` at a time. Only the
    /// commits are timed, not the endorsing and signing.
    static func run(blocks: Int, folder: URL, into ledger: Ledger, progress: (String) -> Void) async throws -> Result {
        let perBlock = BenchLedgerWorkload.transactionsPerBlock
        let channel = try BenchChannel(folder: folder)
        let committer = try channel.committer(ledger: ledger)
        var previousHash = BlockHeader.genesisPreviousHash
        var seconds = 0.0
        var first = 0
        while first < blocks {
            let batch = try channel.endorsedBlocks(count: min(Self.blocksPerBatch, blocks - first), perBlock: perBlock,
                                                   first: first, previousHash: previousHash)
            previousHash = batch.last?.header.hash ?? previousHash
            let start = ContinuousClock.now
            try await BenchChannel.commit(batch, with: committer)
            seconds += (ContinuousClock.now - start).seconds
            first += batch.count
            progress("replayed \(first) of \(blocks) blocks through the committer")
        }
        return Result(blocks: blocks, transactions: blocks * perBlock, seconds: seconds, stages: await committer.stageTimes)
    }
}
