/// Weft's exit statuses (docs/CLI.md).
public enum ExitStatus: Int32, Sendable {
    /// Done.
    case success = 0
    /// Wrong usage; the message says what to type instead.
    case usage = 1
    /// The transaction was ordered but is invalid.
    case transactionInvalid = 2
    /// A node could not be reached or refused the caller.
    case unreachable = 3
    /// Anything else.
    case other = 4
}

/// An error a subcommand reports to the user: a message that names the thing and the fix, and the
/// exit status it maps to.
public struct CLIFailure: Error, CustomStringConvertible {
    /// The exit status `weft` ends with.
    public let status: ExitStatus
    /// What went wrong and what to type instead.
    public let message: String

    /// A failure that ends the command with `status` and prints `message`.
    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The message alone.
    public var description: String { message }
}
