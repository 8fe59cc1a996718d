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
