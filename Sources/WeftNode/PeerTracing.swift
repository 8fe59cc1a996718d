import Committer
import Tracing
import WeftTracing

/// A peer's spans of a transaction after its endorsement (docs/operations.md, "Traces"): when a
/// block is committed, each of its transactions this peer endorsed in a trace gets `peer.validate`
/// (signature and policy checks, then MVCC) and `peer.commit` (the SQLite transaction), timed from
/// the committer's own measurements and parented on the peer's endorsement span.
enum PeerTracing {
    /// The committer's observer: `observer` alone while tracing is off, else `observer` and then the
    /// spans of the block's traced transactions.
    static func observing(
        _ observer: @escaping @Sendable (BlockCommitRecord) -> Void,
        traces: TransactionTraces = .shared
    ) -> @Sendable (BlockCommitRecord) -> Void {
        guard WeftTracing.isEnabled else { return observer }
        return { record in
            observer(record)
            Self.record(record, in: traces)
        }
    }

    /// Records the spans of `record`'s transactions that `traces` remembers.
    static func record(_ record: BlockCommitRecord, in traces: TransactionTraces, now: DefaultTracerClock.Instant = .now) {
        guard !traces.isEmpty else { return }
        let committed = now.minus(record.ledgerCommit)
        let validated = committed.minus(record.mvcc)
        let received = validated.minus(record.signatureChecks)
        for (number, txID) in record.txIDs.enumerated() {
            guard let entry = traces.entry(of: txID) else { continue }
            var attributes: SpanAttributes = [:]
            attributes["weft.tx_id"] = txID
            attributes["weft.block_number"] = Int(clamping: record.blockNumber)
            attributes["weft.tx_number"] = number
            if number < record.transactions.count {
                attributes["weft.validation_code"] = record.transactions[number].code.name
            }
            WeftTracing.recordSpan("peer.validate", parent: entry.context, from: received, to: committed, attributes: attributes)
            WeftTracing.recordSpan("peer.commit", parent: entry.context, from: committed, to: now, attributes: attributes)
        }
    }
}
