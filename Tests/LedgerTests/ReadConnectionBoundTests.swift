import Foundation
import Testing
import WeftCore
import LedgerTestSupport
@testable import Ledger

/// The ledger's read connections are bounded: a synchronous reader past the bound gets `.busy` after
/// its wait, an async reader waits suspended and in order, a cancelled waiter leaves, and the
/// committer's own connection is never taken by readers.
@Suite struct ReadConnectionBoundTests {
    private func openLedger(maxReaders: Int, wait: Double = 0.2) throws -> (Ledger, TemporaryDirectory) {
        let directory = TemporaryDirectory()
        var configuration = LedgerConfiguration()
        configuration.maxReaders = maxReaders
        configuration.readerWaitSeconds = wait
        let ledger = try Ledger.open(path: directory.path(), configuration: configuration)
        var builder = BlockBuilder()
        let (block, transactions) = builder.next(DeterministicWorkload(seed: 3).transactions(ofBlock: 0))
        try ledger.commit(block, transactions: transactions)
        return (ledger, directory)
    }

    @Test func aReaderPastTheBoundIsToldTheLedgerIsBusy() throws {
        let (ledger, directory) = try openLedger(maxReaders: 2)
        defer { withExtendedLifetime(directory) { ledger.close() } }
        let first = try ledger.snapshot()
        let second = try ledger.snapshot()
        let start = ContinuousClock.now
        #expect(throws: LedgerError.busy(readers: 2, waitedSeconds: 0.2)) { _ = try ledger.snapshot() }
        #expect(ContinuousClock.now - start >= .milliseconds(150), "it waited before giving up")
        #expect(LedgerError.busy(readers: 2, waitedSeconds: 0.2).description
            == "the ledger is busy: all 2 read connections stayed in use for 0.2 s; try again")
        first.close()
        let third = try ledger.snapshot()
        #expect(third.chainInfo.height == 1)
        third.close()
        second.close()
    }

    @Test func theCommitterReadsWhileEveryReaderConnectionIsHeld() throws {
        let (ledger, directory) = try openLedger(maxReaders: 1)
        defer { withExtendedLifetime(directory) { ledger.close() } }
        let held = try ledger.snapshot()
        let height = try ledger.readForCommit { $0.chainInfo.height }
        #expect(height == 1)
        held.close()
    }

    @Test func asyncReadersWaitTheirTurnWithoutBlockingAThread() async throws {
        let (ledger, directory) = try openLedger(maxReaders: 1, wait: 30)
        defer { withExtendedLifetime(directory) { ledger.close() } }
        let gate = ThreadCondition()
        let state = Flag()
        // The first reader holds the only slot until the gate opens.
        let holder = Task {
            try await ledger.withSnapshot { snapshot in
                gate.lock()
                state.set()
                while !state.released { gate.wait() }
                gate.unlock()
                return snapshot.chainInfo.height
            }
        }
        while !state.isSet { await Task.yield() }
        let waiter = Task { try await ledger.withSnapshot { $0.chainInfo.height } }
        let cancelled = Task { try await ledger.withSnapshot { $0.chainInfo.height } }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { _ = try await cancelled.value }
        gate.lock()
        state.release()
        gate.broadcast()
        gate.unlock()
        #expect(try await holder.value == 1)
        #expect(try await waiter.value == 1)
        // Every permit came back: as many readers as the bound run again.
        #expect(try await ledger.withSnapshot { $0.chainInfo.height } == 1)
    }
}

/// A set-once flag and a release flag, read across threads.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var setValue = false
    private var releasedValue = false
    var isSet: Bool { lock.withLock { setValue } }
    var released: Bool { lock.withLock { releasedValue } }
    func set() { lock.withLock { setValue = true } }
    func release() { lock.withLock { releasedValue = true } }
}
