/// The entry point the ledger adapter calls: runs one transaction against a `WorldState` snapshot
/// and returns its result and state changes, without writing anything itself. Deterministic: the
/// same transaction, state and context give the same result on every node.
public struct EVMExecutor: Sendable {
    private let cache: CodeAnalysisCache

    /// An executor sharing contract analyses through `cache`.
    public init(cache: CodeAnalysisCache = .shared) { self.cache = cache }

    /// Runs `transaction` on `state` in `context`. Throws only what a `WorldState` read threw
    /// (infrastructure failure); everything the transaction itself does is in the result.
    public func execute(_ transaction: EVMTransaction, on state: any WorldState, context: ExecutionContext) throws -> EVMTransactionResult {
        let journal = StateJournal(backend: state, context: context)
        return try execute(transaction, journal: journal)
    }

    /// Runs `transaction` with a prepared journal (for hosts that prewarm more or inspect it after).
    public func execute(_ transaction: EVMTransaction, journal: StateJournal) throws -> EVMTransactionResult {
        let intrinsic = transaction.intrinsicGas
        let empty = StateChanges(accounts: [], storage: [])
        guard intrinsic <= transaction.gasLimit else {
            return EVMTransactionResult(status: .outOfGas, gasUsed: transaction.gasLimit, gasRefunded: 0, output: [],
                                     logs: [], createdAddress: nil, changes: empty)
        }
        if case .create = transaction.target, transaction.input.count > GasSchedule.maxInitCodeSize {
            return EVMTransactionResult(status: .contractSizeLimitExceeded, gasUsed: transaction.gasLimit, gasRefunded: 0,
                                     output: [], logs: [], createdAddress: nil, changes: empty)
        }
        journal.prewarm(transaction.sender)
        journal.prewarm(journal.context.coinbase) // EIP-3651
        for precompile in 1...0x0a { journal.prewarm(Address(UInt64(precompile))) }
        let message: Message
        let gas = transaction.gasLimit - intrinsic
        switch transaction.target {
        case .call(let recipient):
            // Unlike Ethereum, a call does not bump the sender's nonce: Weft's txID already stops
            // replays, and writing the sender's account would make any two transactions of one
            // submitter conflict under MVCC. Creates still bump it (the new address needs it).
            journal.prewarm(recipient)
            message = Message(kind: .call, gas: gas, recipient: recipient, sender: transaction.sender,
                              value: transaction.value, input: transaction.input)
        case .create:
            message = Message(kind: .create, gas: gas, recipient: Address(0), sender: transaction.sender,
                              value: transaction.value, input: transaction.input)
        }
        let result = VirtualMachine(host: journal, cache: cache).execute(message)
        if let error = journal.backendError { throw error }
        let used = transaction.gasLimit - result.gasLeft
        let refund = result.status == .success ? min(max(result.gasRefund, 0), used / GasSchedule.maxRefundQuotient) : 0
        return EVMTransactionResult(
            status: result.status, gasUsed: used - refund, gasRefunded: refund, output: result.output,
            logs: result.status == .success ? journal.logs : [], createdAddress: result.createdAddress,
            changes: journal.changes())
    }
}
