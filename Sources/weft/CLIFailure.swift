/// Weft's exit statuses (docs/CLI.md).
enum ExitStatus: Int32 {
    case success = 0
    case usage = 1
    case transactionInvalid = 2
    case unreachable = 3
    case other = 4
}

/// An error a subcommand reports to the user: a message that names the thing and the fix, and the
/// exit status it maps to.
struct CLIFailure: Error, CustomStringConvertible {
    let status: ExitStatus
    let message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }
}
