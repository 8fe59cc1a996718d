/// What a leader knows about one follower's log, and how it sends entries to it (etcd's design):
/// - **probe**: the leader does not know where the logs match; it sends one append at a time and waits.
/// - **replicate**: the logs match up to `match`; the leader streams appends, up to a window in flight.
/// - **snapshot**: the follower needs a snapshot; the leader waits until it is installed (or times out).
struct Progress: Sendable {
    enum State: Equatable, Sendable {
        case probe
        case replicate
        case snapshot(pendingIndex: UInt64)
    }

    /// The highest index known to match the leader's log.
    private(set) var match: UInt64 = 0
    /// The next index to send.
    private(set) var next: UInt64
    private(set) var state: State = .probe
    /// In probe state: an append is out and the leader waits for its answer (or the next heartbeat).
    private(set) var probeSent = false
    /// The last index of each append in flight (replicate state), oldest first.
    private var inflight: [UInt64] = []
    private let maxInflight: Int
    /// Whether the follower answered since the leader last checked for a quorum.
    var recentActive = false
    /// Ticks spent waiting in snapshot state.
    private(set) var snapshotTicks = 0

    init(next: UInt64, maxInflight: Int) {
        self.next = next
        self.maxInflight = maxInflight
    }

    /// Whether the leader should hold further appends back.
    var isPaused: Bool {
        switch state {
        case .probe: probeSent
        case .replicate: inflight.count >= maxInflight
        case .snapshot: true
        }
    }

    /// Records an acknowledgement up to `index`; false when it says nothing new.
    mutating func maybeUpdate(_ index: UInt64) -> Bool {
        var updated = false
        if index > match {
            match = index
            updated = true
            probeSent = false
        }
        next = max(next, index + 1)
        return updated
    }

    /// Handles a rejection of the append at `rejected`; `hint` is the highest index that may match.
    /// False when the rejection is stale (answers an append the leader has moved past).
    mutating func maybeDecrease(rejected: UInt64, hint: UInt64) -> Bool {
        if state == .replicate {
            guard rejected > match else { return false }
            next = match + 1
            return true
        }
        guard next >= 1, rejected == next - 1 else { return false }
        next = max(min(rejected, hint + 1), match + 1)
        probeSent = false
        return true
    }

    /// Records that an append ending at `lastIndex` went out.
    mutating func sentEntries(lastIndex: UInt64?) {
        switch state {
        case .replicate:
            if let lastIndex {
                next = lastIndex + 1
                inflight.append(lastIndex)
            }
        case .probe:
            if lastIndex != nil { probeSent = true }
        case .snapshot:
            break
        }
    }

    /// Frees the window slots of appends acknowledged up to `index`.
    mutating func freeInflight(upTo index: UInt64) {
        inflight.removeAll { $0 <= index }
    }

    /// Frees the oldest window slot (a heartbeat answered while the window was full: an append was lost).
    mutating func freeOldestInflight() {
        if !inflight.isEmpty { inflight.removeFirst() }
    }

    mutating func becomeProbe() {
        if case let .snapshot(pendingIndex) = state {
            next = max(match + 1, pendingIndex + 1)
        } else {
            next = match + 1
        }
        state = .probe
        probeSent = false
        inflight = []
        snapshotTicks = 0
    }

    mutating func becomeReplicate() {
        state = .replicate
        next = match + 1
        probeSent = false
        inflight = []
    }

    mutating func becomeSnapshot(index: UInt64) {
        state = .snapshot(pendingIndex: index)
        probeSent = false
        inflight = []
        snapshotTicks = 0
    }

    /// Lets the leader resend after a heartbeat answer: in probe state the lost append is retried.
    mutating func resumeProbe() { probeSent = false }

    /// Counts a tick in snapshot state; true when the wait is over and the leader should probe again.
    mutating func tickSnapshotWait(limit: Int) -> Bool {
        guard case .snapshot = state else { return false }
        snapshotTicks += 1
        return snapshotTicks >= limit
    }
}
