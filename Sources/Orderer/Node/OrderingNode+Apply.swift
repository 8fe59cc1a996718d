import Raft
import WeftCore
import WeftCrypto

/// What a node whose store is behind its Raft state must fetch: the chain up to `target`, which holds
/// at Raft index `raftIndex`, and the committed entries that arrived meanwhile (applied afterwards).
///
/// Fetched blocks wait in `fetched`, checked to continue the chain but neither signed nor stored, until
/// they reach the target and their last hash is the target's: only a chain verified against the Raft
/// state is signed and published. (They are held in memory: the blocks between the store's tip and
/// the latest snapshot.)
struct CatchUp {
    var target: ChainTip
    var raftIndex: UInt64
    var buffered: [Entry] = []
    var fetched: [Block] = []
}

// Applying committed entries (on the disk queue, through `BlockApplier`), and catching up: blocks this
// node lacks because they were compacted into a snapshot are fetched from another orderer.

extension OrderingNode {
    /// Applies committed entries in order (leader no-ops are skipped), or buffers them while catching up.
    func apply(_ entries: [Entry]) async throws {
        guard entries.contains(where: { $0.kind == .normal }) else { return }
        if catchUp != nil {
            catchUp?.buffered += entries.filter { $0.kind == .normal }
            return
        }
        let proposed = Dictionary((pipeline?.inflight ?? []).map { ($0.index, (term: $0.term, block: $0.block)) },
                                  uniquingKeysWith: { first, _ in first })
        let applier = self.applier
        appliesInFlight += 1
        defer { appliesInFlight -= 1 }
        let outcome = try await disk.run { try applier.apply(entries, proposed: proposed) }
        if let last = outcome.lastAppended {
            pipeline?.applied(number: last)
            let written = proposed.values.map(\.block).filter { $0.number <= last }
            let ages = arrivals.written(written, now: clock.now)
            if !ages.isEmpty { configuration.observer.envelopesWritten(ages) }
            if !written.isEmpty { configuration.observer.blocksWritten?(written) }
        }
        appliedBytesSinceSnapshot += outcome.appendedBytes
        if let gap = outcome.gap {
            startCatchUp(to: gap.target, raftIndex: gap.raftIndex)
            catchUp?.buffered.insert(contentsOf: gap.remaining, at: 0)
        }
    }

    /// Raft handed over a snapshot (received from the leader, or this node's own on a restart whose
    /// store is behind it): fetch the blocks it covers unless the store already holds them.
    func restore(from snapshot: Snapshot) async throws {
        let target: ChainTip
        do { target = try ChainTip(canonicalBytes: snapshot.data) } catch {
            throw OrdererError.chainMismatch("snapshot \(snapshot.index) does not hold a chain tip: \(error)")
        }
        let applier = self.applier
        if try await disk.run({ try applier.holds(target) }) { return }
        startCatchUp(to: target, raftIndex: snapshot.index)
    }

    private func startCatchUp(to target: ChainTip, raftIndex: UInt64) {
        if let current = catchUp, current.target.height >= target.height { return }
        var next = CatchUp(target: target, raftIndex: raftIndex)
        next.buffered = catchUp?.buffered ?? []
        next.fetched = catchUp?.fetched ?? []
        catchUp = next
        catchUpRequests.yield()
    }

    /// What to fetch next: the first missing block number and the node to ask (the leader first when
    /// known, then, after each failure, the other orderers in turn). Nil when nothing is missing.
    func nextCatchUpRequest() -> (number: UInt64, source: NodeID)? {
        guard let catchUp, !isStopped else { return nil }
        var sources = raft.configuration.voters.filter { $0 != id }.sorted()
        let height = blockStore.appendedTip.height + UInt64(catchUp.fetched.count)
        guard !sources.isEmpty, height < catchUp.target.height else { return nil }
        if let leader = raft.leader, leader != id, let position = sources.firstIndex(of: leader) {
            sources.insert(sources.remove(at: position), at: 0)
        }
        return (height, sources[catchUpSourceRotation % sources.count])
    }

    /// The catch-up request to `source` failed or came back empty: the next one goes elsewhere.
    func catchUpSourceFailed() {
        catchUpSourceRotation += 1
    }

    /// Takes blocks fetched from another orderer. They are verified first — each continues the chain,
    /// and the chain ends at the target's hash — and only then signed, stored and published; then the
    /// entries buffered meanwhile are applied. Blocks that do not verify are dropped and the next
    /// request goes to another orderer.
    func appendFetched(_ blocks: [Block]) async {
        guard var current = catchUp, !isStopped else { return }
        let tip = blockStore.appendedTip
        do {
            current.fetched += try BlockApplier.verifyFetched(
                blocks, next: tip.height + UInt64(current.fetched.count),
                previousHash: current.fetched.last?.header.hash ?? tip.lastHash, upTo: current.target)
        } catch {
            catchUp?.fetched = []
            catchUpSourceFailed()
            return
        }
        catchUp = current
        guard tip.height + UInt64(current.fetched.count) >= current.target.height else { return }
        do {
            let applier = self.applier
            let (fetched, raftIndex) = (current.fetched, current.raftIndex)
            _ = try await disk.run { try applier.appendVerified(fetched, raftIndex: raftIndex) }
            guard let latest = catchUp else { return }
            catchUp?.fetched = []
            guard latest.target == current.target else { return }   // a newer snapshot moved the target meanwhile
            catchUp = nil
            try await apply(latest.buffered)
        } catch {
            await fail(error)
            return
        }
        requestProcessing()
    }
}
