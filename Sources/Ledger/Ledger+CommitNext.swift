import WeftCore
import WeftCrypto

extension Ledger {
    /// Forms the next block over `data` on the chain's tip and commits it with `transactions` (one per
    /// envelope): for loading a ledger directly, as benchmarks and tools do, without an ordering service.
    @discardableResult
    public func commitNext(data: [[UInt8]], transactions: [CommittedTransaction]) throws(LedgerError) -> Block {
        let tip = chainInfo
        return try commit(Block(number: tip.height, previousHash: tip.currentBlockHash, data: data), transactions: transactions)
    }
}
