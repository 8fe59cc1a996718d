import WeftCrypto

/// An account as committed state holds it.
public struct Account: Sendable, Equatable {
    public var nonce: UInt64
    public var balance: UInt256
    public var code: [UInt8] {
        didSet { codeHash = Account.hash(of: code) }
    }
    /// Keccak-256 of `code`, kept with it.
    public private(set) var codeHash: UInt256

    /// Keccak-256 of no code.
    public static let emptyCodeHash = UInt256(hex: "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470") ?? .zero

    /// An account; pass `codeHash` when it is already known, to skip hashing the code.
    public init(nonce: UInt64 = 0, balance: UInt256 = .zero, code: [UInt8] = [], codeHash: UInt256? = nil) {
        self.nonce = nonce
        self.balance = balance
        self.code = code
        self.codeHash = codeHash ?? Account.hash(of: code)
    }

    /// EIP-161: no code, zero nonce, zero balance.
    public var isEmpty: Bool { nonce == 0 && balance.isZero && code.isEmpty }

    static func hash(of code: [UInt8]) -> UInt256 {
        code.isEmpty ? emptyCodeHash : (UInt256(bigEndian: Keccak256.hash(code)) ?? .zero)
    }
}

/// The committed state one transaction reads (a snapshot): what `StateJournal` needs from the
/// ledger, or from memory in tests. Reads only; the journal keeps every change until the caller
/// takes them with `StateJournal.changes()`.
public protocol WorldState: AnyObject {
    /// The account at `address`, or nil when there is none.
    func account(_ address: Address) -> Account?
    /// A storage slot; zero when never written.
    func storage(_ address: Address, key: UInt256) -> UInt256
    /// The hash of block `number` (only asked for the 256 blocks before the current one).
    func blockHash(number: UInt64) -> UInt256
}

/// What a transaction changed, in a deterministic order (by address, then key), for the caller to
/// write to its state.
public struct StateChanges: Sendable, Equatable {
    /// A changed account: its new nonce, balance and code, or nil when it was deleted (a contract
    /// created and self-destructed in the same transaction).
    public struct AccountChange: Sendable, Equatable {
        public let address: Address
        public let account: Account?
    }

    /// A storage slot whose value at the end differs from the start; zero means deleted.
    public struct StorageChange: Sendable, Equatable {
        public let address: Address
        public let key: UInt256
        public let value: UInt256
    }

    public var accounts: [AccountChange]
    public var storage: [StorageChange]
}

/// World state held in dictionaries: the conformance tests' state and the benchmarks'.
public final class InMemoryWorldState: WorldState {
    public private(set) var accounts: [Address: Account] = [:]
    public private(set) var slots: [Address: [UInt256: UInt256]] = [:]
    /// BLOCKHASH source; by default Keccak-256 of the decimal block number, as Ethereum's test
    /// tools define it.
    public var blockHashes: @Sendable (UInt64) -> UInt256 = { number in
        UInt256(bigEndian: Keccak256.hash(Array(String(number).utf8))) ?? .zero
    }

    public init() {}

    public func account(_ address: Address) -> Account? { accounts[address] }

    public func storage(_ address: Address, key: UInt256) -> UInt256 { slots[address]?[key] ?? .zero }

    public func blockHash(number: UInt64) -> UInt256 { blockHashes(number) }

    /// Sets an account (tests and genesis).
    public func setAccount(_ account: Account, at address: Address) { accounts[address] = account }

    /// Sets a storage slot (tests and genesis); zero deletes it.
    public func setStorage(_ address: Address, key: UInt256, value: UInt256) {
        if value.isZero {
            slots[address]?[key] = nil
        } else {
            slots[address, default: [:]][key] = value
        }
    }

    /// Applies a transaction's changes.
    public func apply(_ changes: StateChanges) {
        for change in changes.accounts {
            if let account = change.account {
                accounts[change.address] = account
            } else {
                accounts[change.address] = nil
                slots[change.address] = nil
            }
        }
        for change in changes.storage { setStorage(change.address, key: change.key, value: change.value) }
    }
}
