import Raft
import WeftCore

// The node's long-running work: the Raft ticker, the batch timer and catch-up, as one structured task.

extension OrderingNode {
    /// Runs the node until it is stopped (`stop()`), its task is cancelled, or it fails: ticks Raft every
    /// `tickInterval` of the clock (unless `ticking` is false — then the caller calls `tick()`, as tests
    /// with a manual clock do), fires batch timeouts, and fetches missing blocks. On the way out the node
    /// is stopped (its directory released). Returns normally after a stop or cancellation; throws the
    /// error a node failed with, or `alreadyRunning` when called a second time.
    public nonisolated func run(ticking: Bool = true) async throws {
        guard await beginRunning() else { throw OrdererError.alreadyRunning }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await self.runProcessing() }
                if ticking { group.addTask { try await self.runTicker() } }
                group.addTask { await self.runBatchTimers() }
                group.addTask { await self.runCatchUp() }
                // The first loop to end (the node stopped or failed, or the task was cancelled) ends all.
                _ = try await group.next()
                group.cancelAll()
            }
        } catch is CancellationError {
            // Cancelled: stop below.
        }
        await stop()
        if let failure = await failure { throw failure }
    }

    /// Processes (persist, send, apply, propose) whenever an input asked for it.
    private nonisolated func runProcessing() async {
        await requestProcessing()   // whatever the node recovered (a snapshot to restore, entries to apply)
        for await _ in processSignals { await processPass() }
    }

    /// One pass of processing, marked for `isQuiescent`.
    private func processPass() async {
        passRequested = false
        passRunning = true
        await process()
        passRunning = false
    }

    /// Ticks every `tickInterval`. Ticks missed while the process stalled are dropped, not replayed in
    /// a burst (a burst would look like a long silence to Raft and start needless elections).
    private nonisolated func runTicker() async throws {
        let interval = configuration.tickInterval
        var next = clock.now + interval
        while true {
            try await clock.sleep(until: next)
            guard await tickIfRunning() else { return }
            next += interval
            let now = clock.now
            if next <= now { next = now + interval }
        }
    }

    private func beginRunning() -> Bool {
        guard !hasRun else { return false }
        hasRun = true
        return true
    }

    private func tickIfRunning() -> Bool {
        tick()
        return !isStopped
    }

    /// Sleeps until each batch timer's deadline and reports it. Deadlines only grow (one timer runs
    /// at a time, each `batchTimeout` after its batch's first envelope), so waiting for them in order is
    /// exact; a timer superseded meanwhile is ignored by the cutter.
    private nonisolated func runBatchTimers() async {
        for await timer in batchTimers {
            do { try await clock.sleep(until: timer.deadline) } catch { return }
            await batchTimerExpired(generation: timer.generation)
        }
    }

    /// Fetches missing blocks whenever the node falls behind its Raft snapshot, from the leader (or the
    /// other orderers in turn), retrying every tick until the store reaches the target.
    private nonisolated func runCatchUp() async {
        for await _ in catchUpSignals {
            while let (number, source) = await nextCatchUpRequest() {
                let blocks: [Block]
                do {
                    blocks = try await transport.fetchBlocks(
                        from: source, startingAt: number, maxCount: configuration.catchUpBlocksPerRequest)
                } catch {
                    blocks = []
                }
                if blocks.isEmpty {
                    await catchUpSourceFailed()
                    do { try await clock.sleep(until: clock.now + configuration.tickInterval) } catch { return }
                    continue
                }
                await appendFetched(blocks)
            }
        }
    }
}
