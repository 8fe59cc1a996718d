import Orderer
import Tracing
import WeftCore
import WeftRPC
import WeftTracing

/// An orderer's spans of a transaction after its broadcast (docs/operations.md, "Traces"). The
/// leader remembers each envelope it accepts in the trace of the broadcast (or forward) that brought
/// it, then records `orderer.block_cut` (accepted → its batch is cut), `orderer.raft_commit` (its
/// block proposed → committed by Raft and written) and, on every deliver stream that sends its
/// block, `orderer.deliver`.
enum OrdererTracing {
    /// Phases of a remembered transaction (`TransactionTraces.Entry.phase`).
    private enum Phase {
        static let accepted = 0, cut = 1, proposed = 2
    }

    /// The ordering node's observer: `observer` while tracing is off; with it on, also the hooks
    /// that record spans.
    static func observing(_ observer: OrderingObserver, traces: TransactionTraces = .shared) -> OrderingObserver {
        guard WeftTracing.isEnabled else { return observer }
        var observer = observer
        observer.envelopeAccepted = { txID in traces.remember(txID) }
        observer.batchCut = { reason, batch in
            let now = DefaultTracerClock.Instant.now
            for txID in txIDs(of: batch, in: traces) {
                guard let entry = traces.mark(txID, endingPhase: Phase.accepted, at: now) else { continue }
                var attributes: SpanAttributes = ["weft.tx_id": "\(txID)", "weft.cut_reason": "\(reason.rawValue)"]
                attributes["weft.batch_envelopes"] = batch.count
                WeftTracing.recordSpan("orderer.block_cut", parent: entry.context, from: entry.phaseStart, to: now, attributes: attributes)
            }
        }
        observer.blockProposed = { block in
            let now = DefaultTracerClock.Instant.now
            for txID in txIDs(of: block.data, in: traces) { _ = traces.mark(txID, endingPhase: Phase.cut, at: now) }
        }
        observer.blocksWritten = { blocks in
            let now = DefaultTracerClock.Instant.now
            for block in blocks {
                for txID in txIDs(of: block.data, in: traces) {
                    guard let entry = traces.mark(txID, endingPhase: Phase.proposed, at: now) else { continue }
                    var attributes: SpanAttributes = ["weft.tx_id": "\(txID)"]
                    attributes["weft.block_number"] = Int(clamping: block.number)
                    WeftTracing.recordSpan("orderer.raft_commit", parent: entry.context, from: entry.phaseStart, to: now, attributes: attributes)
                }
            }
        }
        return observer
    }

    /// Sends `block` on a deliver stream (`send`), recording `orderer.deliver` for each of its
    /// transactions this orderer remembers; just `send` while tracing is off.
    static func delivering(
        _ block: Block, to caller: Caller, traces: TransactionTraces = .shared, _ send: () async throws -> Void
    ) async throws {
        guard WeftTracing.isEnabled, !traces.isEmpty else { return try await send() }
        let start = DefaultTracerClock.Instant.now
        try await send()
        let end = DefaultTracerClock.Instant.now
        for txID in txIDs(of: block.data, in: traces) {
            guard let entry = traces.entry(of: txID) else { continue }
            var attributes: SpanAttributes = ["weft.tx_id": "\(txID)", "weft.peer": "\(caller)"]
            attributes["weft.block_number"] = Int(clamping: block.number)
            WeftTracing.recordSpan("orderer.deliver", parent: entry.context, from: start, to: end, attributes: attributes)
        }
    }

    /// The txIDs of `envelopes` (nothing when `traces` is empty, so untraced blocks are not decoded).
    static func txIDs(of envelopes: [[UInt8]], in traces: TransactionTraces) -> [String] {
        guard !traces.isEmpty else { return [] }
        return envelopes.compactMap { bytes in
            try? Envelope(canonicalBytes: bytes).transaction().signedProposal.proposal().header.txID
        }
    }
}
