import Instrumentation
import Synchronization
import Tracing

/// The trace contexts of recent transactions in this process, by txID, so that work done later for
/// a transaction — a block cut, a Raft commit, a deliver, a validation, a state commit — can be
/// recorded in the trace of the call that brought it here (an endorsement on a peer, a broadcast on an
/// orderer). Only filled while tracing is on.
///
/// Each entry also holds when the transaction's current phase began (``mark(_:at:)`` moves it on), so
/// a phase can be recorded as a span when it ends. Bounded: the oldest entries go first, so a
/// transaction that never reaches a block costs nothing lasting.
public final class TransactionTraces: Sendable {
    /// A remembered transaction: the context its spans are children of, which phase it is in (0 when
    /// remembered, one more at each `mark`), and when that phase began.
    public struct Entry: Sendable {
        public var context: ServiceContext
        public var phase: Int
        public var phaseStart: DefaultTracerClock.Instant
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var head = 0
    }

    /// The one registry of this process (tracing itself is process-wide).
    public static let shared = TransactionTraces(capacity: 16_384)

    /// The most transactions remembered.
    public let capacity: Int
    private let state = Mutex(State())
    private let isOn: @Sendable () -> Bool

    /// A registry that remembers at most `capacity` transactions while `isOn` (by default: while
    /// `WeftTracing.isEnabled`).
    public init(capacity: Int, isOn: @escaping @Sendable () -> Bool = { WeftTracing.isEnabled }) {
        self.capacity = capacity
        self.isOn = isOn
    }

    /// How many transactions are remembered.
    public var count: Int { state.withLock { $0.entries.count } }

    /// Remembers `txID` in `context` (the current one by default), its phase beginning `now`; does
    /// nothing when the registry is off (tracing is off) or no trace is current.
    public func remember(_ txID: String, context: ServiceContext? = nil, now: DefaultTracerClock.Instant? = nil) {
        guard isOn(), let context = context ?? ServiceContext.current else { return }
        let entry = Entry(context: context, phase: 0, phaseStart: now ?? .now)
        state.withLock { state in
            if state.entries.updateValue(entry, forKey: txID) == nil {
                state.order.append(txID)
            }
            while state.order.count - state.head > capacity {
                state.entries[state.order[state.head]] = nil
                state.head += 1
            }
            if state.head > 1024, state.head * 2 > state.order.count {
                state.order.removeFirst(state.head)
                state.head = 0
            }
        }
    }

    /// The entry of `txID`, if remembered.
    public func entry(of txID: String) -> Entry? {
        state.withLock { $0.entries[txID] }
    }

    /// Ends `txID`'s phase `phase` at `now` and starts the next one; returns the entry as it was (its
    /// phase start is when the ended phase began), or nil when `txID` is not remembered or is in
    /// another phase (a block reported twice is recorded once).
    public func mark(_ txID: String, endingPhase phase: Int, at now: DefaultTracerClock.Instant) -> Entry? {
        state.withLock { state in
            guard let entry = state.entries[txID], entry.phase == phase else { return nil }
            state.entries[txID] = Entry(context: entry.context, phase: phase + 1, phaseStart: now)
            return entry
        }
    }

    /// Whether nothing is remembered (a cheap test before decoding a block's transaction ids).
    public var isEmpty: Bool { state.withLock { $0.entries.isEmpty } }
}

extension DefaultTracerClock.Instant {
    /// The current wall-clock time, as spans record it.
    public static var now: Self { DefaultTracerClock.now }
}
