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
