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
