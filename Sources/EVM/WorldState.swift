/// The committed state one transaction reads (a snapshot): what `StateJournal` needs from the
/// ledger, or from memory in tests. Reads only; the journal keeps every change until the caller
/// takes them with `StateJournal.changes()`. A read may throw (an infrastructure failure such as
/// a database error): the journal then remembers the first error, the run's result is void, and
/// `EVMExecutor.execute` throws it.
public protocol WorldState: AnyObject {
    /// The account at `address`, or nil when there is none.
    func account(_ address: Address) throws -> Account?
    /// A storage slot; zero when never written.
    func storage(_ address: Address, key: UInt256) throws -> UInt256
    /// The hash of block `number` (only asked for the 256 blocks before the current one).
    func blockHash(number: UInt64) throws -> UInt256
}

/// What a transaction changed, in a deterministic order (by address, then key), for the caller to
/// write to its state.
public struct StateChanges: Sendable, Equatable {
    /// A changed account: its new nonce, balance and code, or nil when it was deleted (a contract
    /// created and self-destructed in the same transaction).
    public struct AccountChange: Sendable, Equatable {
        public let address: Address
        public let account: Account?

        public init(address: Address, account: Account?) {
            self.address = address
            self.account = account
        }
    }

    /// A storage slot whose value at the end differs from the start; zero means deleted.
    public struct StorageChange: Sendable, Equatable {
        public let address: Address
        public let key: UInt256
        public let value: UInt256

        public init(address: Address, key: UInt256, value: UInt256) {
            self.address = address
            self.key = key
            self.value = value
        }
    }

    public var accounts: [AccountChange]
    public var storage: [StorageChange]

    public init(accounts: [AccountChange], storage: [StorageChange]) {
        self.accounts = accounts
        self.storage = storage
    }
}
