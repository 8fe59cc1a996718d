import Ledger
import Raft
import WeftCore
import WeftCrypto

/// The same chain of blocks for a given seed, every time: the crash-test writer commits it and the
/// test replays it to know what the state must be.
public struct DeterministicWorkload: Sendable {
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// The transactions of block `number`: 1–20 transactions of 1–4 writes over 2 namespaces × 48 keys,
    /// some deletes, some invalid transactions.
    public func transactions(ofBlock number: UInt64) -> [CommittedTransaction] {
        var random = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ number)
        let count = Int(random.next() % 20) + 1
        return (0..<count).map { position in
            let code: ValidationCode = random.next() % 10 == 0 ? .mvccReadConflict : .valid
            let writes = (0..<Int(random.next() % 4) + 1).map { _ -> KVWrite in
                let namespace = random.next() % 2 == 0 ? "alpha" : "beta"
                let key = "key\(random.next() % 48)"
                if random.next() % 7 == 0 { return KVWrite(namespace: namespace, key: key, value: nil) }
                let value = Array("{\"block\":\(number),\"tx\":\(position),\"n\":\(random.next() % 1000)}".utf8)
                return KVWrite(namespace: namespace, key: key, value: value)
            }
            return CommittedTransaction(txID: "tx-\(seed)-\(number)-\(position)", validationCode: code, writes: writes)
        }
    }

    /// World state after blocks `0..<height`, by replaying them: "namespace/key" → (value, version).
    public func replay(height: UInt64) -> [String: VersionedValue] {
        var state: [String: VersionedValue] = [:]
        for number in 0..<height {
            for (position, transaction) in transactions(ofBlock: number).enumerated() where transaction.validationCode.isValid {
                for write in transaction.writes {
                    let name = "\(write.namespace)/\(write.key)"
                    if let value = write.value {
                        state[name] = VersionedValue(value: value, version: Version(blockNumber: number, txNumber: UInt32(position)))
                    } else {
                        state[name] = nil
                    }
                }
            }
        }
        return state
    }
}
