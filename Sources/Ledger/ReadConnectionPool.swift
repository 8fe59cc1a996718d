import WeftCore

/// Read-only connections to one ledger file, reused across snapshots: at most `maxReaders` open for
/// readers, plus one for the committer (`Claim.committer`), so queries never hold up a commit. A reader
/// past the bound waits for a connection to come back, at most `readerWaitSeconds`, then gets `.busy`.
final class ReadConnectionPool: @unchecked Sendable {
    // @unchecked Sendable: `idle`, `open`, `committerOpen` and `isClosed` are only touched under
    // `condition`.

    /// Who asks for a connection.
    enum Claim {
        /// Queries, simulations, event reads: bounded by `maxReaders`.
        case reader
        /// The committer's validation reads: one connection of its own, never waiting for readers.
        case committer
    }

    private let path: String
    private let configuration: LedgerConfiguration
    private let condition = ThreadCondition()
    private var idle: [SQLiteConnection] = []
    /// Connections checked out by readers.
    private var open = 0
    private var committerOpen = false
    private var isClosed = false

    init(path: String, configuration: LedgerConfiguration) {
        self.path = path
        self.configuration = configuration
    }

    /// The bound on connections checked out by readers.
    var maxReaders: Int { max(1, configuration.maxReaders) }

    /// A connection for the caller's exclusive use; give it back with `checkin(_:claim:)`.
    func checkout(_ claim: Claim = .reader) throws(LedgerError) -> SQLiteConnection {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(configuration.readerWaitSeconds * 1000))
        condition.lock()
        while true {
            if isClosed {
                condition.unlock()
                throw .closed
            }
            let free = switch claim {
            case .reader: open < maxReaders
            case .committer: !committerOpen
            }
            if free { break }
            let remaining = (deadline - clock.now).components
            guard remaining.seconds >= 0, remaining.seconds > 0 || remaining.attoseconds > 0 else {
                condition.unlock()
                throw .busy(readers: maxReaders, waitedSeconds: configuration.readerWaitSeconds)
            }
            _ = condition.wait(seconds: Double(remaining.seconds) + Double(remaining.attoseconds) / 1e18)
        }
        switch claim {
        case .reader: open += 1
        case .committer: committerOpen = true
        }
        let reused = idle.popLast()
        condition.unlock()
        if let reused { return reused }
        do throws(LedgerError) {
            return try openConnection()
        } catch {
            release(claim)
            throw error
        }
    }

    /// Returns a connection; it must not be inside a transaction.
    func checkin(_ connection: SQLiteConnection, claim: Claim = .reader) {
        condition.lock()
        if isClosed {
            connection.close()
        } else {
            idle.append(connection)
        }
        condition.unlock()
        release(claim)
    }

    /// Gives up a claim whose connection was closed instead of returned.
    func release(_ claim: Claim) {
        condition.lock()
        switch claim {
        case .reader: open -= 1
        case .committer: committerOpen = false
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Closes the idle connections; connections checked out are closed when they come back.
    func close() {
        condition.lock()
        isClosed = true
        for connection in idle { connection.close() }
        idle.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    private func openConnection() throws(LedgerError) -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        do throws(LedgerError) {
            try connection.execute("""
                PRAGMA cache_size = -\(configuration.readerCacheSizeKiB);
                PRAGMA busy_timeout = 5000;
                PRAGMA mmap_size = \(configuration.mmapSizeBytes);
                """)
        } catch {
            connection.close()
            throw error
        }
        return connection
    }
}
