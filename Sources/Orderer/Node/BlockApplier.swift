import Identity
import Raft
import WeftCore
import WeftCrypto

/// Applies committed Raft entries to the block store: each normal entry is a block, which must continue
/// the stored chain; the orderer signs its header hash and appends it, and the batch is fsync'd once.
/// Runs on the node's disk queue (it decodes, hashes, signs and writes).
struct BlockApplier: Sendable {
    let store: BlockStore
    let signer: SigningIdentity
    let directory: String

    /// What applying a batch did.
    struct Outcome: Sendable {
        /// The number of the last block appended, if any.
        var lastAppended: UInt64?
        /// Envelope bytes appended.
        var appendedBytes = 0
        /// Set when an entry's block is beyond the store's tip (the blocks between were compacted into a
        /// snapshot this store never received): fetch up to `target`, then apply `remaining`.
        var gap: (target: ChainTip, raftIndex: UInt64, remaining: [Entry])?
    }

    /// Applies `entries` in order; `proposed` holds the blocks this node proposed as leader, by Raft
    /// index, with their term (applied without decoding and re-hashing).
    func apply(_ entries: [Entry], proposed: [UInt64: (term: UInt64, block: Block)]) throws(OrdererError) -> Outcome {
        var outcome = Outcome()
        let normal = entries.filter { $0.kind == .normal }
        for (position, entry) in normal.enumerated() {
            let block: Block
            if let own = proposed[entry.index], own.term == entry.term {
                block = own.block
            } else {
                block = try decode(entry)
            }
            let tip = store.appendedTip
            if block.number < tip.height {
                // Applied before a restart (the store is ahead of Raft's applied index): the same block.
                guard try store.headerHash(of: block.number, includingUnsynced: true) == block.header.hash else {
                    throw .chainMismatch("committed block \(block.number) differs from the stored block \(block.number)")
                }
                continue
            }
            if block.number > tip.height {
                outcome.gap = (ChainTip(height: block.number, lastHash: block.header.previousHash), entry.index - 1,
                               Array(normal[position...]))
                break
            }
            try appendSigned(block, raftIndex: entry.index)
            outcome.lastAppended = block.number
            outcome.appendedBytes += block.data.reduce(0) { $0 + $1.count }
        }
        try store.sync()
        return outcome
    }

    /// Checks blocks fetched from another orderer, before anything is signed or stored: starting at
    /// `next` (the block wanted after `previousHash`), each must be the next block, continue the chain and
    /// match its data hash; blocks at or beyond `target` are left out. Returns the blocks that extend the
    /// chain, or throws at the first that does not.
    static func verifyFetched(
        _ blocks: [Block], next: UInt64, previousHash: [UInt8], upTo target: ChainTip
    ) throws(OrdererError) -> [Block] {
        var verified: [Block] = []
        var (number, previous) = (next, previousHash)
        for block in blocks where block.number >= number && number < target.height {
            guard block.number == number, block.header.previousHash == previous else {
                throw .chainMismatch("fetched block \(block.number) does not continue the chain at block \(number)")
            }
            guard Block.dataHash(of: block.data) == block.header.dataHash else {
                throw .chainMismatch("fetched block \(block.number) has a data hash that does not match its envelopes")
            }
            // Only the orderers' signatures come along (peers check them); at most 16.
            verified.append(Block(header: block.header, data: block.data,
                                  metadata: BlockMetadata(ordererSignatures: Array(block.metadata.ordererSignatures.prefix(16)))))
            previous = block.header.hash
            number += 1
        }
        if number == target.height, previous != target.lastHash {
            throw .chainMismatch("the fetched chain ends at block \(number - 1) with another hash than the Raft state's \(target)")
        }
        return verified
    }

    /// Signs and appends fetched blocks that `verifyFetched` accepted as the whole chain up to the
    /// Raft target, and makes them durable and deliverable. Returns the durable tip afterwards.
    func appendVerified(_ blocks: [Block], raftIndex: UInt64) throws(OrdererError) -> ChainTip {
        // The signatures they came with are kept beside this orderer's: a block written before this
        // orderer was a consenter still carries a signature peers accept for its height.
        for block in blocks { try appendSigned(block, raftIndex: raftIndex, keepingSignatures: true) }
        try store.sync()
        return store.tip
    }

    /// Whether the store already holds the chain up to `target` (a snapshot's tip); throws when it holds
    /// a different block at the target's height.
    func holds(_ target: ChainTip) throws(OrdererError) -> Bool {
        try store.sync()
        guard store.appendedTip.height >= target.height else { return false }
        if target.height > 0, try store.headerHash(of: target.height - 1, includingUnsynced: true) != target.lastHash {
            throw .chainMismatch("block \(target.height - 1) differs from the one in the Raft snapshot")
        }
        return true
    }

    private func decode(_ entry: Entry) throws(OrdererError) -> Block {
        let block: Block
        do { block = try Block(canonicalBytes: entry.data) } catch {
            throw .chainMismatch("the committed entry \(entry.index) is not a block: \(error)")
        }
        guard Block.dataHash(of: block.data) == block.header.dataHash else {
            throw .chainMismatch("block \(block.number) (entry \(entry.index)) has a data hash that does not match its envelopes")
        }
        return block
    }

    /// Signs the block's header hash and appends the block with that signature as its metadata.
    private func appendSigned(_ block: Block, raftIndex: UInt64, keepingSignatures: Bool = false) throws(OrdererError) {
        var signed = block
        let signature: [UInt8]
        do { signature = try signer.signature(for: block.header.hash) } catch {
            throw .storageFailure(operation: "sign block \(block.number) for", path: directory, reason: "\(error)")
        }
        let own = signer.serialized
        let kept = keepingSignatures ? block.metadata.ordererSignatures.filter { $0.signer != own } : []
        signed.metadata = BlockMetadata(ordererSignatures: kept + [BlockSignature(signer: own, signature: signature)])
        try store.append(signed, raftIndex: raftIndex)
    }
}
