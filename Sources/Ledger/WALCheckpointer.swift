import CSQLite
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers
import WeftCore

/// Copies the WAL into the database file as a job of its own on the blocking executor, so a commit
/// only appends to the WAL and fsyncs it; the database file's writeback and fsync no longer stall the
/// committer.
///
/// The writer's SQLite auto-checkpoint is turned off and a WAL hook counts the frames after each
/// commit. Past `threshold` frames a checkpoint job is queued (one at a time) that runs a PASSIVE
/// checkpoint, which copies the bulk of the WAL without blocking anyone, then a RESTART checkpoint for
/// the few frames committed meanwhile, which lets the next commit start the WAL over. RESTART holds off
/// commits only while it copies that tail, and gives up after `restartWaitMilliseconds` if an old
/// snapshot still reads the WAL (it is retried at the next request). Should the WAL still reach
/// `hardLimit` frames, the committer itself runs a RESTART checkpoint, which bounds the WAL.
final class WALCheckpointer: @unchecked Sendable {
    // @unchecked Sendable: the connection is used only by jobs of `lane`, one at a time, until
    // `stop()` has waited for the last of them; `state` has its own lock.

    private struct State {
        var queued = false
        var stopped = false
    }

    private let connection: SQLiteConnection
    private let lane = SerialLane()
    private let state = NIOLockedValueBox(State())
    /// The WAL frame count after the writer's last commit, set by the WAL hook.
    let walFrames: UnsafeMutablePointer<Int32>
    let threshold: Int32
    let hardLimit: Int32
    /// How long the RESTART step waits for the committer's write lock and for old readers.
    static let restartWaitMilliseconds = 20

    /// Opens the checkpointer's own connection.
    init(path: String, configuration: LedgerConfiguration) throws(LedgerError) {
        connection = try SQLiteConnection(path: path, mode: .readWrite)
        let synchronous = configuration.durability == .full ? "FULL" : "NORMAL"
        try connection.execute("PRAGMA busy_timeout = \(Self.restartWaitMilliseconds); PRAGMA synchronous = \(synchronous);")
        walFrames = .allocate(capacity: 1)
        walFrames.initialize(to: 0)
        threshold = Int32(clamping: max(1, configuration.walAutocheckpointPages))
        hardLimit = Int32(clamping: max(1, configuration.walAutocheckpointPages) * 4)
    }

    deinit { walFrames.deallocate() }

    /// Installs the WAL hook on the writer and turns its inline auto-checkpoint off.
    func attach(to writer: SQLiteConnection) throws(LedgerError) {
        try writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.setWALHook(counter: walFrames)
    }

    /// Called by the committer after each commit: queues a checkpoint past the threshold and
    /// checkpoints inline past the hard limit.
    func committed(writer: SQLiteConnection) throws(LedgerError) {
        let frames = walFrames.pointee
        if frames >= hardLimit {
            // The checkpoint lock may be held by the background pass for a moment; retry for up to
            // about a second (readers are waited for by the writer's busy timeout).
            for _ in 0..<500 {
                if try writer.checkpoint(restart: true) { break }
                usleep(2000)
            }
        } else if frames >= threshold {
            let queue = state.withLockedValue { state in
                defer { state.queued = true }
                return !state.queued && !state.stopped
            }
            if queue { lane.submit { [self] in checkpoint() } }
        }
    }

    /// Waits for a checkpoint in progress, then closes the connection; no checkpoint runs afterwards.
    func stop() {
        let first = state.withLockedValue { state in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard first else { return }
        let finished = DispatchSemaphore(value: 0)
        lane.submit { [self] in
            connection.close()
            finished.signal()
        }
        finished.wait()
    }

    private func checkpoint() {
        let run = state.withLockedValue { state in
            state.queued = false
            return !state.stopped
        }
        guard run else { return }
        // A failed checkpoint (busy, I/O) is retried at the next request; the WAL keeps the data
        // safe meanwhile and the hard limit bounds it.
        _ = try? connection.checkpoint(restart: false)
        _ = try? connection.checkpoint(restart: true)
    }
}
