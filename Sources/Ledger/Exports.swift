/// The ledger's wire types (queries, answers, chain info, proofs) live in `WeftProtocol`, which clients
/// use without linking SQLite; code that reads a ledger gets them with `import Ledger`.
@_exported import WeftProtocol
