/// How a call or create ended. Everything but `success` and `revert` is an exceptional halt that
/// consumes all the gas given to the frame and undoes its state changes.
public enum StatusCode: String, Sendable, CustomStringConvertible {
    case success
    /// REVERT: state changes undone, remaining gas returned, output is the revert data.
    case revert
    case outOfGas
    case stackUnderflow
    case stackOverflow
    case badJumpDestination
    /// An undefined opcode or the designated INVALID (0xfe).
    case invalidOpcode
    /// SSTORE, TSTORE, LOG, CREATE, SELFDESTRUCT or a value-carrying CALL inside STATICCALL.
    case staticStateChange
    /// RETURNDATACOPY past the end of the return data.
    case invalidMemoryAccess
    /// A create whose address already holds code or a nonce.
    case createCollision
    /// Deployed code over 24,576 bytes or initcode over 49,152 bytes.
    case contractSizeLimitExceeded
    /// Deployed code starting with 0xEF (EIP-3541).
    case invalidCodePrefix
    /// A call to a precompile this implementation does not provide, or with invalid input.
    case precompileFailure
    /// The nesting of calls reached 1,024 (only reported for a top-level message).
    case callDepthExceeded
    /// The sender cannot pay the value (only reported for a top-level message).
    case insufficientBalance
    /// The sender's nonce cannot be incremented (only for a top-level create).
    case nonceOverflow

    public var description: String { rawValue }
}

/// The outcome of one message (a call or a create) including its nested calls.
public struct ExecutionResult: Sendable {
    public var status: StatusCode
    /// Gas not used; zero after an exceptional halt.
    public var gasLeft: Int
    /// Accumulated SSTORE refund of this frame and its successful children (may be negative inside
    /// a frame; the transaction caps the total).
    public var gasRefund: Int
    /// RETURN or REVERT data; for a successful create, the deployed code.
    public var output: [UInt8]
    /// The new contract's address after a successful create.
    public var createdAddress: Address?

    public init(status: StatusCode, gasLeft: Int, gasRefund: Int = 0, output: [UInt8] = [], createdAddress: Address? = nil) {
        self.status = status
        self.gasLeft = gasLeft
        self.gasRefund = gasRefund
        self.output = output
        self.createdAddress = createdAddress
    }

    /// An exceptional halt: no gas left, no output, no refund.
    public static func failure(_ status: StatusCode) -> ExecutionResult {
        ExecutionResult(status: status, gasLeft: 0)
    }

    public var isSuccess: Bool { status == .success }
}

/// A LOG0–LOG4 record: the emitting contract, up to four topics and the data.
public struct Log: Sendable, Equatable {
    public let address: Address
    public let topics: [UInt256]
    public let data: [UInt8]

    public init(address: Address, topics: [UInt256], data: [UInt8]) {
        self.address = address
        self.topics = topics
        self.data = data
    }
}
