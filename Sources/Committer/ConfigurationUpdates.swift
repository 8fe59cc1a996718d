import Synchronization
import WeftCore

/// What a committer validates against: the checks of transactions and of block signatures. A valid
/// configuration block replaces them from the next block on.
public struct CommitRules: Sendable {
    public var transactionCheck: TransactionCheck
    public var blockSignatureCheck: BlockSignatureCheck

    public init(transactionCheck: TransactionCheck, blockSignatureCheck: BlockSignatureCheck) {
        self.transactionCheck = transactionCheck
        self.blockSignatureCheck = blockSignatureCheck
    }
}

/// How a committer decides configuration blocks (docs/governance.md). A block whose only entry is a
/// configuration entry (`ConfigTransaction.isEntry`) is checked when its turn to commit comes —
/// against the configuration in force after every block before it — and committed with the code
/// `VALID` or `INVALID_CONFIG_TRANSACTION`. A valid one changes the rules for the blocks after it,
/// atomically with its own commit.
public struct ConfigurationUpdates: Sendable {
    /// A configuration entry found valid.
    public struct Accepted: Sendable {
        /// The entry's transaction id.
        public var txID: String
        /// The rules from the next block on.
        public var rules: CommitRules
        /// State writes that record the configuration, committed with the block.
        public var writes: [KVWrite]
        /// Called on the committer once the block is committed, before the next block commits.
        public var committed: @Sendable () -> Void

        public init(txID: String, rules: CommitRules, writes: [KVWrite], committed: @escaping @Sendable () -> Void) {
            self.txID = txID
            self.rules = rules
            self.writes = writes
            self.committed = committed
        }
    }

    /// A configuration entry found invalid: its id, when it decoded far enough to have one, and why.
    public struct Refused: Error, Sendable {
        public var txID: String?
        public var reason: String

        public init(txID: String?, reason: String) {
            self.txID = txID
            self.reason = reason
        }
    }

    /// Decides the configuration entry of block `blockNumber`.
    public var check: @Sendable (_ entry: [UInt8], _ blockNumber: UInt64) -> Result<Accepted, Refused>

    public init(check: @escaping @Sendable (_ entry: [UInt8], _ blockNumber: UInt64) -> Result<Accepted, Refused>) {
        self.check = check
    }
}

/// The rules in force, read off the actor by the block signature check of every arriving block.
final class CommitRulesBox: Sendable {
    private let rules: Mutex<CommitRules>

    init(_ rules: CommitRules) { self.rules = Mutex(rules) }

    var current: CommitRules {
        get { rules.withLock { $0 } }
        set { rules.withLock { $0 = newValue } }
    }
}
