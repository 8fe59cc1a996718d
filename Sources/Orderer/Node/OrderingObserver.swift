import Raft
import WeftCore

/// Why the block cutter cut a batch (the `reason` of the orderer's blocks-cut metric).
public enum BlockCutReason: String, Sendable, CaseIterable {
    /// The batch reached `maxEnvelopeCount`.
    case count
    /// The next envelope would have pushed the batch past `preferredMaxBytes`, or was larger alone.
    case bytes
    /// `batchTimeout` passed after the batch's first envelope.
    case timeout
}

/// What an ordering node reports as it works, for the node's metrics and traces. Each closure runs on
/// the node's actor and must return quickly; the default reports nothing.
public struct OrderingObserver: Sendable {
    /// The leader's cutter cut a batch of `envelopes` envelopes and `bytes` bytes.
    public var blockCut: @Sendable (_ reason: BlockCutReason, _ envelopes: Int, _ bytes: Int) -> Void
    /// Blocks this leader formed were written to its block store: `latencies` holds, for each of their
    /// envelopes, the time from the leader accepting it to its block being written.
    public var envelopesWritten: @Sendable (_ latencies: [Duration]) -> Void

    /// The leader took the envelope with `txID` into its cutter. Runs on the task of the broadcast (or
    /// forward) that brought it, so its trace context is current. Nil (the default) costs nothing.
    public var envelopeAccepted: (@Sendable (_ txID: String) -> Void)?
    /// The leader's cutter cut `batch` (the envelopes, in order) for `reason`.
    public var batchCut: (@Sendable (_ reason: BlockCutReason, _ batch: [[UInt8]]) -> Void)?
    /// The leader proposed `block` to Raft.
    public var blockProposed: (@Sendable (_ block: Block) -> Void)?
    /// Blocks this leader formed were committed by Raft and written to its block store.
    public var blocksWritten: (@Sendable (_ blocks: [Block]) -> Void)?
    /// The leader proposed a change of Raft's membership to `voters` (their Raft ids).
    public var membershipProposed: (@Sendable (_ voters: [NodeID]) -> Void)?

    /// An observer of these closures.
    public init(
        blockCut: @escaping @Sendable (_ reason: BlockCutReason, _ envelopes: Int, _ bytes: Int) -> Void = { _, _, _ in },
        envelopesWritten: @escaping @Sendable (_ latencies: [Duration]) -> Void = { _ in }
    ) {
        self.blockCut = blockCut
        self.envelopesWritten = envelopesWritten
    }

    /// Reports nothing.
    public static let none = OrderingObserver()
}
