import EVM
import WeftCore

/// The EVM's view of world state during one simulation: every account and slot it reads goes through
/// the stub, so it lands in the read-write set with its version (MVCC protects it); block hashes come
/// from the ledger's headers. Layout: `EVMStateLayout`.
///
/// A corrupt record (which only a bug could write: no other chaincode may write `evm:*`) throws, and
/// the transaction fails rather than reading a zero.
final class ChaincodeWorldState: WorldState {
    private let stub: ChaincodeStub
    /// `evm:<address>` of each address seen, so the hex is built once per address per transaction.
    private var namespaces: [Address: String] = [:]

    init(stub: ChaincodeStub) { self.stub = stub }

    /// The namespace of `address`.
    func namespace(of address: Address) -> String {
        if let known = namespaces[address] { return known }
        let namespace = EVMStateLayout.namespace(of: address)
        namespaces[address] = namespace
        return namespace
    }

    func account(_ address: Address) throws -> Account? {
        let namespace = namespace(of: address)
        guard let bytes = try stub.getState(EVMStateLayout.accountKey, namespace: namespace) else { return nil }
        do {
            return try EVMStateLayout.decodeAccount(bytes)
        } catch {
            throw ChaincodeError("corrupt account record \(namespace)/\(EVMStateLayout.accountKey): \(error)")
        }
    }

    func storage(_ address: Address, key: UInt256) throws -> UInt256 {
        let namespace = namespace(of: address)
        let slot = EVMStateLayout.slotKey(key)
        guard let bytes = try stub.getState(slot, namespace: namespace) else { return .zero }
        guard let value = EVMStateLayout.decodeSlot(bytes) else {
            throw ChaincodeError("corrupt storage slot \(namespace)/\(slot): \(bytes.count) bytes instead of 32")
        }
        return value
    }

    func blockHash(number: UInt64) throws -> UInt256 {
        guard let hash = try stub.blockHash(number: number) else { return .zero }
        return UInt256(bigEndian: hash) ?? .zero
    }

    /// Records `changes` as the transaction's writes: account records and nonzero slots are put, deleted
    /// accounts and zeroed slots deleted. `changes` is sorted, so the writes are deterministic.
    func write(_ changes: StateChanges) throws {
        for change in changes.accounts {
            let namespace = namespace(of: change.address)
            try stub.putState(EVMStateLayout.accountKey, change.account.map { EVMStateLayout.encode($0) }, namespace: namespace)
        }
        for change in changes.storage {
            let value = change.value.isZero ? nil : EVMStateLayout.encode(slot: change.value)
            try stub.putState(EVMStateLayout.slotKey(change.key), value, namespace: namespace(of: change.address))
        }
    }
}
