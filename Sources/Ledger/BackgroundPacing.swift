#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a long read of the whole ledger beside commits — an online backup, a snapshot — shares the
/// machine with the committer: it works in slices and, after each one, rests for `restRatio` × the
/// time the slice took, so the committer's writes and fsyncs find the CPU and the disk free in
/// between. The read stays one consistent view: its read transaction is held across the rests.
public struct BackgroundPacing: Sendable, Equatable {
    /// Database pages an online backup copies per `sqlite3_backup_step`; 0 copies all in one step.
    public var backupPagesPerSlice: Int
    /// Rows a snapshot writes per slice; 0 writes every row in one slice.
    public var snapshotRowsPerSlice: Int
    /// The rest after each slice, as a fraction of the slice's duration (0: no rest). The copy takes
    /// about (1 + restRatio) × its unpaced time and leaves the committer that share of the time.
    public var restRatio: Double
    /// How long one write transaction of a prune should hold the writer (commits wait for it): the
    /// blocks (and vacuumed pages) per transaction adapt to it. Zero: the largest steps (256 blocks,
    /// 4,096 pages).
    public var pruneTransaction: Duration
    /// The rest after each write transaction of a prune, as a fraction of its duration: the writer is
    /// free for commits meanwhile.
    public var pruneRestRatio: Double

    /// Slices of `backupPagesPerSlice` pages or `snapshotRowsPerSlice` rows, each followed by a rest
    /// of `restRatio` × its duration (capped at `PacedSlices.longestRest`); prune transactions of
    /// about `pruneTransaction`, each followed by a rest of `pruneRestRatio` × its duration.
    public init(backupPagesPerSlice: Int, snapshotRowsPerSlice: Int, restRatio: Double,
                pruneTransaction: Duration = .milliseconds(20), pruneRestRatio: Double = 1) {
        self.backupPagesPerSlice = backupPagesPerSlice
        self.snapshotRowsPerSlice = snapshotRowsPerSlice
        self.restRatio = restRatio
        self.pruneTransaction = pruneTransaction
        self.pruneRestRatio = pruneRestRatio
    }

    /// 1,024 pages (4 MiB at the default page size) or 16,384 rows per slice, each followed by a rest
    /// half as long as the slice took; prune transactions of about 20 ms, each followed by as long a rest.
    public static let `default` = BackgroundPacing(backupPagesPerSlice: 1024, snapshotRowsPerSlice: 16384, restRatio: 0.5)
    /// One slice, no rest, prune transactions of 256 blocks back to back: as fast as the machine
    /// allows (how Weft worked before pacing).
    public static let unpaced = BackgroundPacing(backupPagesPerSlice: 0, snapshotRowsPerSlice: 0, restRatio: 0,
                                                 pruneTransaction: .zero, pruneRestRatio: 0)
}

/// A batch size adapted so that each batch takes about `target`: doubled after a batch that took less
/// than half of it, halved after one that took more, always within `range`. A zero target keeps the
/// largest size.
struct AdaptiveBatch {
    let target: Duration
    let range: ClosedRange<Int>
    private(set) var size: Int

    init(target: Duration, range: ClosedRange<Int>, start: Int) {
        self.target = target
        self.range = range
        size = target == .zero ? range.upperBound : min(max(start, range.lowerBound), range.upperBound)
    }

    /// Adapts the size after a batch that took `took`.
    mutating func record(_ took: Duration) {
        guard target > .zero else { return }
        if took * 2 < target {
            size = min(size * 2, range.upperBound)
        } else if took > target {
            size = max(size / 2, range.lowerBound)
        }
    }
}

/// Times the slices of a paced copy and rests after each one.
struct PacedSlices {
    /// No rest is longer than this, however long its slice took.
    static let longestRest: Duration = .milliseconds(200)

    let restRatio: Double
    private var sliceStart = ContinuousClock.now

    init(_ pacing: BackgroundPacing) { restRatio = max(0, pacing.restRatio) }
    init(restRatio: Double) { self.restRatio = max(0, restRatio) }

    /// Ends a slice: rests for `restRatio` × its duration, then starts the next one.
    mutating func rest() {
        guard restRatio > 0 else { return }
        let pause = min((ContinuousClock.now - sliceStart) * restRatio, Self.longestRest)
        let (seconds, attoseconds) = pause.components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        if microseconds > 0 { usleep(UInt32(clamping: microseconds)) }
        sliceStart = .now
    }
}
