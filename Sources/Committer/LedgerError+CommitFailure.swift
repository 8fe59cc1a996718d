import Ledger

extension LedgerError {
    /// What the committer makes of a failed commit of block `number`: the block's own fault (it does
    /// not link, its data does not match its header, it holds an unstorable write) refuses it; anything
    /// else is the storage's and is retried.
    func commitFailure(blockNumber number: UInt64) -> CommitterError {
        switch self {
        case .unexpectedBlockNumber, .previousHashMismatch, .dataHashMismatch, .transactionCountMismatch, .invalidWrite,
             .invalidArgument:
            .blockRefused(blockNumber: number, reason: description)
        case .closed:
            .ledgerClosed
        case .sqlite, .corrupt, .notALedger, .invalidQuery, .busy, .io, .pruned, .beforeSnapshot:
            .ledger(description)
        }
    }
}
