import Ledger

extension NodeContext {
    /// The page cache budget of the peer's ledgers, in MiB (`ledger.cacheMiB`).
    var ledgerCacheBudgetMiB: Int { (configuration.ledger ?? LedgerSettings()).cacheBudgetMiB }

    /// How a peer opens its channels' ledgers: page caches sized from `ledger.cacheMiB`.
    var ledgerConfiguration: LedgerConfiguration { LedgerConfiguration(cacheBudgetMiB: ledgerCacheBudgetMiB) }

    /// Holds the SQLite memory of the whole process to `ledger.cacheMiB`, whatever the number of
    /// channels.
    func limitLedgerMemory() { SQLiteMemory.limit(bytes: ledgerCacheBudgetMiB << 20) }
}
