/// A transaction for the EVM: a call of a contract or the creation of one.
public struct EVMTransaction: Sendable {
    /// What the transaction does.
    public enum Target: Sendable {
        case call(Address)
        case create
    }

    public var sender: Address
    public var target: Target
    /// Value moved to the callee; a ledger without coin rejects nonzero values before execution.
    public var value: UInt256
    /// Call data, or the initcode of a create.
    public var input: [UInt8]
    /// Gas for the whole transaction, intrinsic cost included.
    public var gasLimit: Int

    public init(sender: Address, target: Target, value: UInt256 = .zero, input: [UInt8], gasLimit: Int) {
        self.sender = sender
        self.target = target
        self.value = value
        self.input = input
        self.gasLimit = gasLimit
    }

    /// Ethereum's intrinsic gas: 21,000, plus 4 per zero and 16 per nonzero byte of input, plus for a
    /// create 32,000 and 2 per initcode word (EIP-3860).
    public var intrinsicGas: Int {
        var gas = GasSchedule.transaction
        for byte in input { gas += byte == 0 ? GasSchedule.calldataZeroByte : GasSchedule.calldataNonzeroByte }
        if case .create = target {
            gas += GasSchedule.transactionCreate + GasSchedule.initCodePerWord * GasSchedule.words(input.count)
        }
        return gas
    }
}

/// How a transaction ended and what it changed.
public struct EVMTransactionResult: Sendable {
    public var status: StatusCode
    /// Gas charged: intrinsic + execution − refund (refund capped at a fifth, EIP-3529).
    public var gasUsed: Int
    /// The refund subtracted from `gasUsed`.
    public var gasRefunded: Int
    /// RETURN data of a call, revert data, or the deployed code of a create.
    public var output: [UInt8]
    /// Logs of a successful transaction, in order (empty otherwise).
    public var logs: [Log]
    /// The contract made by a successful create.
    public var createdAddress: Address?
    /// State changes to write: empty unless the transaction succeeded, except the sender's nonce.
    public var changes: StateChanges
}

/// The entry point the ledger adapter calls: runs one transaction against a `WorldState` snapshot
/// and returns its result and state changes, without writing anything itself. Deterministic: the
/// same transaction, state and context give the same result on every node.
public struct EVMExecutor: Sendable {
    private let cache: CodeAnalysisCache

    /// An executor sharing contract analyses through `cache`.
    public init(cache: CodeAnalysisCache = .shared) { self.cache = cache }

    /// Runs `transaction` on `state` in `context`.
    public func execute(_ transaction: EVMTransaction, on state: any WorldState, context: ExecutionContext) -> EVMTransactionResult {
        let journal = StateJournal(backend: state, context: context)
        return execute(transaction, journal: journal)
    }

    /// Runs `transaction` with a prepared journal (for hosts that prewarm more or inspect it after).
    public func execute(_ transaction: EVMTransaction, journal: StateJournal) -> EVMTransactionResult {
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
            journal.prewarm(recipient)
            journal.incrementNonce(transaction.sender)
            message = Message(kind: .call, gas: gas, recipient: recipient, sender: transaction.sender,
                              value: transaction.value, input: transaction.input)
        case .create:
            message = Message(kind: .create, gas: gas, recipient: Address(0), sender: transaction.sender,
                              value: transaction.value, input: transaction.input)
        }
        let result = VirtualMachine(host: journal, cache: cache).execute(message)
        let used = transaction.gasLimit - result.gasLeft
        let refund = result.status == .success ? min(max(result.gasRefund, 0), used / GasSchedule.maxRefundQuotient) : 0
        return EVMTransactionResult(
            status: result.status, gasUsed: used - refund, gasRefunded: refund, output: result.output,
            logs: result.status == .success ? journal.logs : [], createdAddress: result.createdAddress,
            changes: journal.changes())
    }
}
