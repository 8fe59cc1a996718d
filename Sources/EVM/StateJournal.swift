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
    }

    private struct Entry {
        var account: Account
        var exists: Bool
        var createdInTransaction = false
        var destroyed = false
    }

    private enum Change {
        case account(Address, previous: Entry)
        case slot(SlotKey, previous: UInt256)
        case warmSlot(SlotKey)
        case warmAccount(Address)
        case transient(SlotKey, previous: UInt256)
        case log
    }

    private var entries: [Address: Entry] = [:]
    private var originals: [Address: Account?] = [:]
    private var slots: [SlotKey: Slot] = [:]
    private var transient: [SlotKey: UInt256] = [:]
    private var warmAccounts: Set<Address> = []
    private var journal: [Change] = []
    /// Logs emitted so far and not reverted, in order.
    public private(set) var logs: [Log] = []

    /// A journal for one transaction reading `backend`.
    public init(backend: any WorldState, context: ExecutionContext) {
        self.backend = backend
        self.context = context
    }

    // MARK: Accounts

    private func entry(_ address: Address) -> Entry {
        if let cached = entries[address] { return cached }
        let stored = backend.account(address)
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

    public func blockHash(number: UInt64) -> UInt256 { backend.blockHash(number: number) }
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

    private func slot(_ key: SlotKey) -> Slot {
        if let cached = slots[key] { return cached }
        let value = backend.storage(key.address, key: key.key)
        let loaded = Slot(original: value, current: value, warm: false)
        slots[key] = loaded
        return loaded
    }

    public func accessStorage(_ address: Address, key: UInt256) -> AccessStatus {
        let slotKey = SlotKey(address: address, key: key)
        var current = slot(slotKey)
        if current.warm { return .warm }
        current.warm = true
        slots[slotKey] = current
        journal.append(.warmSlot(slotKey))
        return .cold
    }

    public func storage(_ address: Address, key: UInt256) -> UInt256 {
        slot(SlotKey(address: address, key: key)).current
    }

    public func setStorage(_ address: Address, key: UInt256, value: UInt256) -> StorageUpdate {
        let slotKey = SlotKey(address: address, key: key)
        var current = slot(slotKey)
        let update = StorageUpdate(original: current.original, current: current.current)
        if current.current != value {
            journal.append(.slot(slotKey, previous: current.current))
            current.current = value
            slots[slotKey] = current
        }
        return update
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

    public func snapshot() -> Int { journal.count }

    public func revert(to snapshot: Int) {
        while journal.count > snapshot {
            switch journal.removeLast() {
            case .account(let address, let previous): entries[address] = previous
            case .slot(let key, let previous): slots[key]?.current = previous
            case .warmSlot(let key): slots[key]?.warm = false
            case .warmAccount(let address): warmAccounts.remove(address)
            case .transient(let key, let previous): transient[key] = previous
            case .log: logs.removeLast()
            }
        }
    }

    /// The net changes of the transaction, sorted by address and key. Accounts created and
    /// destroyed in it come out deleted with their slots zeroed.
    public func changes() -> StateChanges {
        var accounts: [StateChanges.AccountChange] = []
        var destroyed: Set<Address> = []
        for (address, entry) in entries {
            if entry.destroyed {
                destroyed.insert(address)
                if originals[address] != nil { accounts.append(.init(address: address, account: nil)) }
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
