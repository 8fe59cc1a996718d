import Raft
import WeftCore
import WeftCrypto

/// What a node whose store is behind its Raft state must fetch: the chain up to `target`, which holds
/// at Raft index `raftIndex`, and the committed entries that arrived meanwhile (applied afterwards).
struct CatchUp {
    var target: ChainTip
    var raftIndex: UInt64
    var buffered: [Entry] = []
}

// Applying committed entries: each normal entry is a block; the node checks it continues its chain,
// signs it and appends it. Blocks it lacks (compacted into a snapshot) are fetched from another orderer.

extension OrderingNode {
    /// Applies committed entries in order (skipping leader no-ops), then makes the appended blocks durable.
    func apply(_ entries: [Entry]) throws {
        for entry in entries where entry.kind == .normal {
            if catchUp != nil {
                catchUp?.buffered.append(entry)
                continue
            }
            let block = try pipeline?.proposedBlock(at: entry.index, term: entry.term) ?? decodeBlock(entry)
            try applyBlock(block, entry: entry)
        }
        try blockStore.sync()
    }

    private func decodeBlock(_ entry: Entry) throws(OrdererError) -> Block {
        let block: Block
        do { block = try Block(canonicalBytes: entry.data) } catch {
            throw .chainMismatch("the committed entry \(entry.index) is not a block: \(error)")
        }
        guard Block.dataHash(of: block.data) == block.header.dataHash else {
            throw .chainMismatch("block \(block.number) (entry \(entry.index)) has a data hash that does not match its envelopes")
        }
        return block
    }

    /// Appends `block`, committed at `entry`, with this orderer's signature.
    private func applyBlock(_ block: Block, entry: Entry) throws {
        let tip = blockStore.appendedTip
        if block.number < tip.height {
            // Applied before a restart (the store is ahead of Raft's applied index): it must be the same block.
            guard try blockStore.headerHash(of: block.number, includingUnsynced: true) == block.header.hash else {
                throw OrdererError.chainMismatch("committed block \(block.number) differs from the stored block \(block.number)")
            }
            return
        }
        if block.number > tip.height {
            // Blocks before it were compacted into a snapshot this store never received: fetch them first.
            startCatchUp(to: ChainTip(height: block.number, lastHash: block.header.previousHash), raftIndex: entry.index - 1)
            catchUp?.buffered.append(entry)
            return
        }
        try appendSigned(block, raftIndex: entry.index)
        pipeline?.applied(number: block.number)
        appliedBytesSinceSnapshot += block.data.reduce(0) { $0 + $1.count }
    }

    /// Signs the block's header hash and appends the block with that signature as its metadata.
    private func appendSigned(_ block: Block, raftIndex: UInt64) throws {
        var signed = block
        let signature: [UInt8]
        do { signature = try signer.signature(for: block.header.hash) } catch {
            throw OrdererError.storageFailure(operation: "sign block \(block.number) for", path: configuration.directory, reason: "\(error)")
        }
        signed.metadata = BlockMetadata(ordererSignatures: [BlockSignature(signer: signer.serialized, signature: signature)])
        try blockStore.append(signed, raftIndex: raftIndex)
    }

    /// Raft handed over a snapshot (received from the leader, or this node's own on a restart whose
    /// store is behind it): fetch the blocks it covers unless the store already holds them.
    func restore(from snapshot: Snapshot) throws {
        let target: ChainTip
        do { target = try ChainTip(canonicalBytes: snapshot.data) } catch {
            throw OrdererError.chainMismatch("snapshot \(snapshot.index) does not hold a chain tip: \(error)")
        }
        try blockStore.sync()
        let tip = blockStore.appendedTip
        if tip.height >= target.height {
            if target.height > 0, try blockStore.headerHash(of: target.height - 1, includingUnsynced: true) != target.lastHash {
                throw OrdererError.chainMismatch("block \(target.height - 1) differs from the one in snapshot \(snapshot.index)")
            }
            return
        }
        startCatchUp(to: target, raftIndex: snapshot.index)
    }

    private func startCatchUp(to target: ChainTip, raftIndex: UInt64) {
        if let current = catchUp, current.target.height >= target.height { return }
        var next = CatchUp(target: target, raftIndex: raftIndex)
        next.buffered = catchUp?.buffered ?? []
        catchUp = next
        catchUpRequests.yield()
    }

    /// What to fetch next: the first missing block number and the node to ask (the leader when known,
    /// otherwise the other orderers in turn). Nil when nothing is missing.
    func nextCatchUpRequest() -> (number: UInt64, source: NodeID)? {
        guard let catchUp, !isStopped else { return nil }
        let others = configuration.voters.filter { $0 != id }.sorted()
        guard !others.isEmpty else { return nil }
        let source: NodeID
        if let leader = raft.leader, leader != id {
            source = leader
        } else {
            catchUpSourceRotation += 1
            source = others[catchUpSourceRotation % others.count]
        }
        let height = blockStore.appendedTip.height
        return height < catchUp.target.height ? (height, source) : nil
    }

    /// The catch-up request to `source` failed or came back empty: the next one goes elsewhere.
    func catchUpSourceFailed() {
        catchUpSourceRotation += 1
    }

    /// Appends blocks fetched from another orderer: each must continue the chain and match its data
    /// hash; the last must reach the target's hash. Then the entries buffered meanwhile are applied.
    func appendFetched(_ blocks: [Block]) {
        guard let current = catchUp, !isStopped else { return }
        do {
            for block in blocks {
                let height = blockStore.appendedTip.height
                guard block.number == height, height < current.target.height else { continue }
                guard Block.dataHash(of: block.data) == block.header.dataHash else {
                    throw OrdererError.chainMismatch("fetched block \(block.number) has a data hash that does not match its envelopes")
                }
                try appendSigned(Block(header: block.header, data: block.data), raftIndex: current.raftIndex)
            }
            try blockStore.sync()
            let tip = blockStore.tip
            guard tip.height >= current.target.height else { return }
            guard tip.lastHash == current.target.lastHash else {
                throw OrdererError.chainMismatch("the fetched chain ends at \(tip), the Raft state at \(current.target)")
            }
            catchUp = nil
            try apply(current.buffered)
        } catch {
            fail(error)
            return
        }
        process()
    }
}
