import Raft
import WeftCore
import WeftCrypto

/// The leader's side of block formation for one term, as a value type: batches the cutter cut wait in
/// a queue; the leader forms them into blocks (number, previous hash, RFC 6962 data hash) and proposes
/// them through Raft, keeping at most `maxInflightBlocks` proposed but not yet applied.
///
/// Two rules keep the chain from forking:
/// - A new leader forms nothing until it has applied every entry of its log up to its own no-op
///   (`startsAfter`): by then it has applied whatever earlier leaders committed, so it continues from the
///   last committed block (`start(at:)` takes the block store's tip).
/// - Within its term, the leader chains each block on the one it proposed before. Raft never drops a
///   leader's own entries while it leads, so its proposals commit in order or, if it loses the term, are
///   superseded together; a later term starts again from the applied tip. Two different blocks with
///   one number can therefore never both commit.
struct LeaderPipeline {
    /// Most blocks proposed and not yet applied (1: each block waits for the previous one to apply).
    let maxInflightBlocks: Int
    /// The Raft index (the leader's no-op) the node must have applied before forming its first block.
    let startsAfter: UInt64
    /// The tip the next block extends; nil until `start(at:)`.
    private(set) var nextTip: ChainTip?
    /// Batches cut and not yet formed, in cut order.
    private(set) var queued: [[[UInt8]]] = []
    /// The number of envelopes in `queued`.
    private(set) var queuedEnvelopes = 0
    /// Blocks proposed and not yet applied, by Raft index, in proposal order.
    private(set) var inflight: [(index: UInt64, term: UInt64, block: Block)] = []

    init(maxInflightBlocks: Int, startsAfter: UInt64) {
        self.maxInflightBlocks = maxInflightBlocks
        self.startsAfter = startsAfter
    }

    var isStarted: Bool { nextTip != nil }

    /// Queues a batch the cutter cut.
    mutating func enqueue(_ batch: [[UInt8]]) {
        guard !batch.isEmpty else { return }
        queued.append(batch)
        queuedEnvelopes += batch.count
    }

    /// Starts forming blocks on top of `tip` (the applied chain once `startsAfter` is applied).
    mutating func start(at tip: ChainTip) {
        nextTip = tip
    }

    /// The next block to propose, when the pipeline is started, a batch waits and fewer than
    /// `maxInflightBlocks` blocks are in flight. Nothing changes until `proposed(_:at:term:)`.
    func nextBlock() -> Block? {
        guard let tip = nextTip, let batch = queued.first, inflight.count < maxInflightBlocks else { return nil }
        return Block(number: tip.height, previousHash: tip.lastHash, data: batch)
    }

    /// Records that `block` (from `nextBlock()`) was proposed at Raft `index` in `term`.
    mutating func proposed(_ block: Block, at index: UInt64, term: UInt64) {
        queuedEnvelopes -= queued.removeFirst().count
        inflight.append((index, term, block))
        nextTip = ChainTip(height: block.number + 1, lastHash: block.header.hash)
    }

    /// The block this leader proposed at `index` in `term`, if it is in flight (to apply without
    /// decoding and re-hashing it).
    func proposedBlock(at index: UInt64, term: UInt64) -> Block? {
        inflight.first { $0.index == index && $0.term == term }?.block
    }

    /// Block `number` was applied: it and every block before it are no longer in flight.
    mutating func applied(number: UInt64) {
        inflight.removeAll { $0.block.number <= number }
    }
}
