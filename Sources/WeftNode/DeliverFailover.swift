import Logging
import Orderer
import WeftCore

/// Where a peer's blocks come from: a deliver stream from one of the channel's orderers, and each
/// orderer's height (`ordererStatus`). Orderers are named by their position in the channel's list.
protocol OrdererBlockSource: Sendable {
    /// How many orderers there are.
    var ordererCount: Int { get }
    /// A name for logs.
    func name(of orderer: Int) -> String
    /// Streams blocks from `orderer`, from number `start` on, into `body`, one at a time (the next is
    /// read only when `body` returned), calling `connected` once the stream is open. Returns when the
    /// orderer ends the stream; throws when it fails, `body` throws, or the task is cancelled.
    func deliver(
        from orderer: Int, startingAt start: UInt64, connected: @Sendable () -> Void,
        into body: @Sendable (Block) async throws -> Void
    ) async throws
    /// The orderer's chain height now.
    func height(of orderer: Int) async throws -> UInt64
}

/// Where pulled blocks go: the peer's committer.
protocol BlockSink: Sendable {
    /// The number of blocks committed.
    var height: UInt64 { get async }
    /// Checks and commits the next block; throws when it is refused.
    func submit(_ block: Block) async throws
}

/// The peer's choice of orderer: it pulls from one orderer at a time and moves on when the stream
/// fails or ends (the next orderer in turn), or when the orderer stays connected but stops advancing
/// — the peer's height stood still for `stallTimeout` while another orderer reports a greater
/// height (that orderer next). Heights are asked for only after such a quiet spell, at most once per
/// `stallTimeout`, so an idle channel costs one `ordererStatus` per other orderer per spell.
struct DeliverFailover: Sendable {
    /// The default quiet spell: twenty 250 ms batch timeouts, dozens of round trips across a WAN.
    static let defaultStallTimeout: Duration = .seconds(5)

    let source: any OrdererBlockSource
    let sink: any BlockSink
    let clock: any OrderingClock
    let stallTimeout: Duration
    let connected: ConnectionFlag
    let logger: Logger

    /// How often the peer's height is looked at while a stream is open.
    var checkInterval: Duration { stallTimeout / 5 }

    /// Pulls until cancelled.
    func run() async {
        var orderer = 0
        var failures = 0
        while !Task.isCancelled {
            // The orderers change with configuration updates: positions are taken modulo the count now.
            let count = source.ordererCount
            guard count > 0 else { return }
            let current = orderer % count
            do {
                if let ahead = try await pull(from: current) {
                    orderer = ahead
                    failures = 0
                } else {
                    logger.info("deliver from \(source.name(of: current)) ended; trying the next orderer")
                    orderer = (current + 1) % count
                    failures += 1
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                logger.warning("deliver from \(source.name(of: current)) stopped: \(error); trying the next orderer")
                orderer = (current + 1) % count
                failures += 1
            }
            connected.set(false)
            // Straight on to the next orderer; a pause after every orderer failed once in a row.
            let pause: Duration = failures > 0 && failures % count == 0 ? .milliseconds(500) : .milliseconds(50)
            do { try await clock.sleep(until: clock.now + pause) } catch { return }
        }
    }

    /// Pulls from `orderer` until its stream ends (nil) or it stalls while another orderer is ahead
    /// (that orderer's position).
    private func pull(from orderer: Int) async throws -> Int? {
        let start = await sink.height
        logger.info("pulling blocks from \(source.name(of: orderer)) starting at \(start)")
        return try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                try await source.deliver(from: orderer, startingAt: start, connected: { connected.set(true) }) { block in
                    try await sink.submit(block)
                }
                return nil
            }
            group.addTask { try await watchForStall(pullingFrom: orderer) }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// Returns the orderer to move to once the peer's height stood still for `stallTimeout` while that
    /// orderer reports a greater height; runs until cancelled otherwise.
    private func watchForStall(pullingFrom current: Int) async throws -> Int {
        var height = await sink.height
        var quietSince = clock.now
        while true {
            try await clock.sleep(until: clock.now + checkInterval)
            let now = await sink.height
            if now != height {
                height = now
                quietSince = clock.now
                continue
            }
            guard clock.now - quietSince >= stallTimeout else { continue }
            quietSince = clock.now   // ask again only after another quiet spell
            if let (ahead, aheadHeight) = await highestOrderer(besides: current), aheadHeight > height {
                logger.warning("""
                    \(source.name(of: current)) delivered nothing for \(stallTimeout) while \(source.name(of: ahead)) \
                    is at height \(aheadHeight) and this peer at \(height); switching to \(source.name(of: ahead))
                    """)
                return ahead
            }
        }
    }

    /// The other orderer with the greatest height (asked all at once), or nil when none answers.
    private func highestOrderer(besides current: Int) async -> (Int, UInt64)? {
        await withTaskGroup(of: (Int, UInt64)?.self) { group in
            for orderer in 0..<source.ordererCount where orderer != current {
                group.addTask { (try? await source.height(of: orderer)).map { (orderer, $0) } }
            }
            var best: (Int, UInt64)?
            for await answer in group {
                guard let answer else { continue }
                if best == nil || answer.1 > best!.1 || (answer.1 == best!.1 && answer.0 < best!.0) { best = answer }
            }
            return best
        }
    }
}
