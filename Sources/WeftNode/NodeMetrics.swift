import Committer
import Operations
import Orderer

/// Feeds a peer's commits into the metrics (`weft_block_height`, `weft_transactions_validated_total`).
enum PeerMetrics {
    static func record(committer: Committer, from height: UInt64) async {
        WeftMetrics.blockHeight().record(Int64(height))
        // Ends when the task is cancelled (the stream throws CancellationError) or a block cannot be read.
        do {
            for try await block in committer.events(from: height) {
                WeftMetrics.blockHeight().record(Int64(block.blockNumber + 1))
                for transaction in block.transactions {
                    WeftMetrics.transactionsValidated(code: transaction.code.name).increment()
                }
            }
        } catch {}
    }
}

/// Samples an orderer's Raft state once a second (`weft_raft_term`, `weft_raft_leader_changes_total`,
/// `weft_block_height`).
enum OrdererMetrics {
    static func record(_ node: OrderingNode) async {
        var leader: UInt64?
        while !Task.isCancelled {
            let status = await node.status()
            WeftMetrics.raftTerm().record(Int64(status.term))
            WeftMetrics.blockHeight().record(Int64(status.tip.height))
            if status.leader != leader {
                if leader != nil { WeftMetrics.raftLeaderChanges().increment() }
                leader = status.leader
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
