import WeftCore

/// A smart contract compiled into `weft`. The peer calls `invoke` once per proposal with a stub that
/// reads from a snapshot of world state and records what the function reads and writes.
///
/// Chaincode must be deterministic: no clock (use `stub.timestamp`), no randomness, no iteration over
/// unordered collections, no I/O. Native chaincode runs in the peer's process: report bad input by
/// throwing (`ChaincodeError`, or any error from the stub's argument accessors), never by trapping.
public protocol Chaincode: Sendable {
    /// Runs the function named by `stub.function` and returns its result payload. Throwing produces an
    /// error response carrying the error's description; the transaction is then not endorsable.
    func invoke(_ stub: ChaincodeStub) throws -> [UInt8]
}

/// An error a chaincode reports to its caller, with a status (400s: caller's fault, 500: chaincode's).
public struct ChaincodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var status: UInt32
    public var message: String

    /// An error with `message`; the default status 500 marks a failure of the function.
    public init(_ message: String, status: UInt32 = ChaincodeResponse.errorStatus) {
        self.message = message
        self.status = status
    }

    /// The caller passed wrong arguments (status 400).
    public static func badRequest(_ message: String) -> ChaincodeError { .init(message, status: 400) }

    /// A referenced record does not exist (status 404).
    public static func notFound(_ message: String) -> ChaincodeError { .init(message, status: 404) }

    /// A record to create already exists (status 409).
    public static func conflict(_ message: String) -> ChaincodeError { .init(message, status: 409) }

    public var description: String { message }
}
