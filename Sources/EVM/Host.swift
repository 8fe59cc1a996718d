/// Whether an account or storage slot had been touched before in this transaction (EIP-2929).
public enum AccessStatus: Sendable {
    case cold, warm
}

/// A storage slot's state before an SSTORE: what SSTORE's gas and refund depend on (EIP-2200,
/// EIP-2929).
public struct StorageUpdate: Sendable {
    /// The value at the start of the transaction.
    public var original: UInt256
    /// The value just before this write.
    public var current: UInt256
    /// Whether the slot was cold before this write.
    public var access: AccessStatus

    public init(original: UInt256, current: UInt256, access: AccessStatus) {
        self.original = original
        self.current = current
        self.access = access
    }
}

/// The interpreter's only way to state. Every read and write of accounts, storage, transient storage
/// and logs goes through it, and it journals them: `snapshot()` marks a point, `revert(to:)` undoes
/// everything after it (a failed or reverted frame), including warm marks, transient storage and logs.
///
/// `StateJournal` implements it over any `WorldState` (the committed state a transaction reads);
/// that is the usual way to provide one. Whether balances exist is the host's business: a host
/// without value keeps every balance zero and refuses transfers, and the interpreter does not care.
public protocol Host: AnyObject {
    /// The block and transaction environment.
    var context: ExecutionContext { get }
    /// BLOCKHASH of a block in the 256 before the current one (the interpreter checks the range).
    func blockHash(number: UInt64) -> UInt256

    /// True when the account has no code, a zero nonce and a zero balance, or does not exist (EIP-161).
    func accountIsEmpty(_ address: Address) -> Bool
    func balance(of address: Address) -> UInt256
    func nonce(of address: Address) -> UInt64
    func code(of address: Address) -> [UInt8]
    func codeSize(of address: Address) -> Int
    /// Keccak-256 of the code; zero for an empty account (EXTCODEHASH, EIP-1052).
    func codeHash(of address: Address) -> UInt256

    /// Marks the account warm and reports what it was.
    func accessAccount(_ address: Address) -> AccessStatus

    /// SLOAD: the slot's value, and whether it was cold (it is warm afterwards).
    func loadStorage(_ address: Address, key: UInt256) -> (value: UInt256, access: AccessStatus)
    /// SSTORE: writes the slot, marks it warm, and returns its original and previous values and
    /// whether it was cold.
    func storeStorage(_ address: Address, key: UInt256, value: UInt256) -> StorageUpdate
    func transientStorage(_ address: Address, key: UInt256) -> UInt256
    func setTransientStorage(_ address: Address, key: UInt256, value: UInt256)

    /// Moves `value` between accounts; false (and nothing changes) when `from` cannot pay.
    func transfer(value: UInt256, from: Address, to: Address) -> Bool
    func incrementNonce(_ address: Address)
    /// Starts a contract account at a create (nonce 1, remembered as created in this transaction);
    /// false when the address already has code or a nonce (collision).
    func createAccount(_ address: Address) -> Bool
    func setCode(_ code: [UInt8], of address: Address)
    /// SELFDESTRUCT as Cancun defines it (EIP-6780): the balance moves to `beneficiary`; the account
    /// is deleted only if it was created in this transaction.
    func selfDestruct(_ address: Address, beneficiary: Address)
    func emitLog(_ log: Log)

    /// A mark to revert to.
    func snapshot() -> Int
    /// Undoes every change after `snapshot`.
    func revert(to snapshot: Int)
}
