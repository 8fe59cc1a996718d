/// The `Host` for one transaction over any `WorldState`: it caches what the transaction reads,
/// keeps every change in a journal so a failed frame's changes can be undone, tracks warm accounts
/// and slots (EIP-2929), original slot values (EIP-2200), transient storage (EIP-1153) and logs,
/// and at the end hands over the net changes. With `InMemoryWorldState` it is the in-memory host
/// of the tests and benchmarks; the ledger's adapter gives it a `WorldState` that reads (and
/// records reads of) world state, then writes `changes()` into its read-write set.
///
/// Balances are whatever the `WorldState` says: a world without value has only zero balances, so
/// any transfer of a nonzero value fails for lack of funds.
public final class StateJournal: Host {
    public let backend: any WorldState
    public let context: ExecutionContext

    private struct SlotKey: Hashable {
        let address: Address
        let key: UInt256
    }

    private struct Slot {
        let original: UInt256
        var current: UInt256
        var warm: Bool
        /// Position in the journal of this slot's latest value entry (-1: none).
        var journaledAt = -1
    }

    private struct Entry {
        var account: Account
        var exists: Bool
        var createdInTransaction = false
        var destroyed = false
    }

    private enum Change {
        case account(Address, previous: Entry)
        case slot(SlotKey, previous: UInt256, previousJournaledAt: Int)
        case warmSlot(SlotKey)
        case warmAccount(Address)
        case transient(SlotKey, previous: UInt256)
        case log
    }

    // Run-time exclusivity checks are off for these four: each is touched only inside short,
    // non-reentrant methods of this class (no callback runs during an access), and the checks
    // cost several percent of a storage-heavy loop.
    @exclusivity(unchecked) private var entries: [Address: Entry] = [:]
    private var originals: [Address: Account?] = [:]
    @exclusivity(unchecked) private var slots: [SlotKey: Slot] = [:]
    private var transient: [SlotKey: UInt256] = [:]
    @exclusivity(unchecked) private var warmAccounts: Set<Address> = []
    @exclusivity(unchecked) private var journal: [Change] = []
    /// The latest snapshot that may still be reverted to (or a later point: that only journals
    /// more). A slot written since then needs no second entry, because reverting to any snapshot
    /// at or before it restores the value from the first entry.
    private var snapshotMark = 0
    /// The first error a `WorldState` read threw, if any. After one, reads yield empty values and
    /// the run's outcome means nothing: `EVMExecutor` throws this error instead of returning it.
    public private(set) var backendError: (any Error)?
    /// Logs emitted so far and not reverted, in order.
    public private(set) var logs: [Log] = []

    /// A journal for one transaction reading `backend`.
    public init(backend: any WorldState, context: ExecutionContext) {
        self.backend = backend
        self.context = context
        // Room for the prewarmed sender, recipient, coinbase and ten precompiles without rehashing.
        warmAccounts.reserveCapacity(16)
    }

    // MARK: Accounts

    private func entry(_ address: Address) -> Entry {
        if let cached = entries[address] { return cached }
        let stored = read { try backend.account(address) } ?? nil
        originals[address] = stored
        let loaded = Entry(account: stored ?? Account(), exists: stored != nil)
        entries[address] = loaded
        return loaded
    }

    private func modify(_ address: Address, _ change: (inout Entry) -> Void) {
        var current = entry(address)
        journal.append(.account(address, previous: current))
        change(&current)
        current.exists = true
        entries[address] = current
    }

    public func blockHash(number: UInt64) -> UInt256 { read { try backend.blockHash(number: number) } ?? .zero }

    /// Runs a backend read, keeping the first error.
    private func read<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch {
            if backendError == nil { backendError = error }
            return nil
        }
    }
    public func accountIsEmpty(_ address: Address) -> Bool { entry(address).account.isEmpty }
    public func balance(of address: Address) -> UInt256 { entry(address).account.balance }
    public func nonce(of address: Address) -> UInt64 { entry(address).account.nonce }
    public func code(of address: Address) -> [UInt8] { entry(address).account.code }
    public func codeSize(of address: Address) -> Int { entry(address).account.code.count }

    public func codeHash(of address: Address) -> UInt256 {
        let account = entry(address).account
        return account.isEmpty ? .zero : account.codeHash
    }

    /// Marks `address` warm without journaling (the transaction's sender, recipient, coinbase and
    /// precompiles, before execution starts).
    public func prewarm(_ address: Address) { warmAccounts.insert(address) }

    public func accessAccount(_ address: Address) -> AccessStatus {
        if warmAccounts.insert(address).inserted {
            journal.append(.warmAccount(address))
            return .cold
        }
        return .warm
    }

    public func transfer(value: UInt256, from: Address, to: Address) -> Bool {
        if value.isZero { return true }
        guard entry(from).account.balance >= value else { return false }
        modify(from) { $0.account.balance = $0.account.balance &- value }
        modify(to) { $0.account.balance = $0.account.balance &+ value }
        return true
    }

    public func incrementNonce(_ address: Address) {
        modify(address) { $0.account.nonce &+= 1 }
    }

    public func createAccount(_ address: Address) -> Bool {
        let existing = entry(address).account
        guard existing.code.isEmpty && existing.nonce == 0 else { return false }
        modify(address) {
            $0.account.nonce = 1
            $0.createdInTransaction = true
        }
        return true
    }

    public func setCode(_ code: [UInt8], of address: Address) {
        modify(address) { $0.account.code = code }
    }

    public func selfDestruct(_ address: Address, beneficiary: Address) {
        let current = entry(address)
        let balance = current.account.balance
        if current.createdInTransaction {
            modify(address) {
                $0.account.balance = .zero
                $0.destroyed = true
            }
            if beneficiary != address { modify(beneficiary) { $0.account.balance = $0.account.balance &+ balance } }
        } else if beneficiary != address {
            _ = transfer(value: balance, from: address, to: beneficiary)
        }
    }

    // MARK: Storage

    /// The index of `key` in `slots`, loading the slot from the backend on first use.
    private func slotIndex(_ key: SlotKey) -> Dictionary<SlotKey, Slot>.Index {
        if let index = slots.index(forKey: key) { return index }
        let value = read { try backend.storage(key.address, key: key.key) } ?? .zero
        slots[key] = Slot(original: value, current: value, warm: false)
        return slots.index(forKey: key).unsafelyUnwrapped
    }

    public func loadStorage(_ address: Address, key: UInt256) -> (value: UInt256, access: AccessStatus) {
        let slotKey = SlotKey(address: address, key: key)
        let index = slotIndex(slotKey)
        let slot = slots.values[index]
        if slot.warm { return (slot.current, .warm) }
        slots.values[index].warm = true
        journal.append(.warmSlot(slotKey))
        return (slot.current, .cold)
    }

    public func storeStorage(_ address: Address, key: UInt256, value: UInt256) -> StorageUpdate {
        let slotKey = SlotKey(address: address, key: key)
        let index = slotIndex(slotKey)
        let slot = slots.values[index]
        let update = StorageUpdate(original: slot.original, current: slot.current, access: slot.warm ? .warm : .cold)
        if !slot.warm {
            slots.values[index].warm = true
            journal.append(.warmSlot(slotKey))
        }
        if slot.current != value {
            slots.values[index].current = value
            if slot.journaledAt < snapshotMark {
                slots.values[index].journaledAt = journal.count
                journal.append(.slot(slotKey, previous: slot.current, previousJournaledAt: slot.journaledAt))
            }
        }
        return update
    }

    /// The slot's current value, without marking it warm (for inspection after execution).
    public func storage(_ address: Address, key: UInt256) -> UInt256 {
        let slotKey = SlotKey(address: address, key: key)
        return slots[slotKey]?.current ?? read { try backend.storage(address, key: key) } ?? .zero
    }

    public func transientStorage(_ address: Address, key: UInt256) -> UInt256 {
        transient[SlotKey(address: address, key: key)] ?? .zero
    }

    public func setTransientStorage(_ address: Address, key: UInt256, value: UInt256) {
        let slotKey = SlotKey(address: address, key: key)
        journal.append(.transient(slotKey, previous: transient[slotKey] ?? .zero))
        transient[slotKey] = value
    }

    public func emitLog(_ log: Log) {
        logs.append(log)
        journal.append(.log)
    }

    // MARK: Journal

    public func snapshot() -> Int {
        snapshotMark = journal.count
        return journal.count
    }

    public func revert(to snapshot: Int) {
        while journal.count > snapshot {
            switch journal.removeLast() {
            case .account(let address, let previous): entries[address] = previous
            case .slot(let key, let previous, let previousJournaledAt):
                slots[key]?.current = previous
                slots[key]?.journaledAt = previousJournaledAt
            case .warmSlot(let key): slots[key]?.warm = false
            case .warmAccount(let address): warmAccounts.remove(address)
            case .transient(let key, let previous): transient[key] = previous
            case .log: logs.removeLast()
            }
        }
        snapshotMark = min(snapshotMark, snapshot)
    }

    /// The net changes of the transaction, sorted by address and key. Accounts created and
    /// destroyed in it come out deleted with their slots zeroed.
    public func changes() -> StateChanges {
        var accounts: [StateChanges.AccountChange] = []
        var destroyed: Set<Address> = []
        for (address, entry) in entries {
            if entry.destroyed {
                destroyed.insert(address)
                let existedBefore = (originals[address] ?? nil) != nil
                if existedBefore { accounts.append(.init(address: address, account: nil)) }
            } else if entry.exists, originals[address] ?? nil != entry.account {
                accounts.append(.init(address: address, account: entry.account))
            }
        }
        var storage: [StateChanges.StorageChange] = []
        for (key, slot) in slots {
            let value = destroyed.contains(key.address) ? .zero : slot.current
            if value != slot.original { storage.append(.init(address: key.address, key: key.key, value: value)) }
        }
        accounts.sort { $0.address < $1.address }
        storage.sort { $0.address != $1.address ? $0.address < $1.address : $0.key < $1.key }
        return StateChanges(accounts: accounts, storage: storage)
    }
}
