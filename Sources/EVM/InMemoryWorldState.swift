import WeftCrypto

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
