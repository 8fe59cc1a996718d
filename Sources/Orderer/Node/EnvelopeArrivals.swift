import WeftCore

/// When the leader accepted each envelope it has not yet written in a block, oldest first — the same
/// order as the cutter's batches and the pipeline's blocks — so that a written block's envelopes can
/// be timed from broadcast to block. Emptied when the node stops leading (its pending envelopes are
/// dropped then).
struct EnvelopeArrivals {
    private var times: [Duration] = []
    private var head = 0
    /// The highest block number timed, so a block reported by two overlapping applies counts once.
    private var timedThrough: UInt64?

    /// How many envelopes are tracked.
    var count: Int { times.count - head }

    /// An envelope was accepted at `time`.
    mutating func accepted(at time: Duration) {
        times.append(time)
    }

    /// Removes the `count` oldest arrivals and returns each one's age at `now`.
    mutating func take(_ count: Int, now: Duration) -> [Duration] {
        let end = min(head + count, times.count)
        let ages = times[head..<end].map { now - $0 }
        head = end
        if head > 4096, head * 2 > times.count {
            times.removeFirst(head)
            head = 0
        }
        return ages
    }

    /// This leader's `blocks` were written: the ages of their envelopes, oldest first (blocks already
    /// timed are skipped).
    mutating func written(_ blocks: [Block], now: Duration) -> [Duration] {
        var ages: [Duration] = []
        for block in blocks.sorted(by: { $0.number < $1.number }) where timedThrough.map({ block.number > $0 }) ?? true {
            ages += take(block.data.count, now: now)
            timedThrough = block.number
        }
        return ages
    }

    /// Forgets every arrival.
    mutating func reset() {
        times = []
        head = 0
    }
}
