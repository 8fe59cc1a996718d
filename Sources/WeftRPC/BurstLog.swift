import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Logs a repeated event (a refused or evicted connection) once per burst: the first occurrence, then at most
/// one line a second saying how many more there were, so a flood cannot flood the log too.
final class BurstLog: Sendable {
    private struct State {
        var lastLine: NIODeadline = .distantPast
        var suppressed = 0
    }

    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    init(logger: Logger) { self.logger = logger }

    func refused(_ message: String) {
        let now = NIODeadline.now()
        let suppressed: Int? = state.withLockedValue { state in
            guard now - state.lastLine >= .seconds(1) else {
                state.suppressed += 1
                return nil
            }
            let count = state.suppressed
            state.lastLine = now
            state.suppressed = 0
            return count
        }
        guard let suppressed else { return }
        logger.warning("\(message)\(suppressed > 0 ? " (and \(suppressed) more in the last second)" : "")")
    }
}
