/// Everything a node asks its driver to do, in one batch. The driver handles a `Ready` in this order:
///
/// 1. **Persist** `snapshot` (if any), then `entries`, then `hardState` (if any) — durably (fsync) —
///    e.g. with `RaftStorage.save(_:)`.
/// 2. **Send** `messages`. Several of them (votes, acknowledgements) promise that step 1 happened.
/// 3. **Apply**: restore the application from `snapshot` (if any), then apply `committedEntries` in order.
/// 4. Call `RaftNode.advance(_:)` with this `Ready`.
///
/// A node hands out one `Ready` at a time: `ready()` returns nil until the previous one is advanced.
/// Messages stepped in meanwhile are answered in the next `Ready`.
public struct Ready: Sendable {
    /// Who leads and what this node is, when that changed since the previous `Ready`.
    public var softState: SoftState?
    /// The term, vote and commit index to persist, when they changed since the previous `Ready`.
    public var hardState: HardState?
    /// Entries to append to stable storage. The first one may overwrite stored entries from its index on
    /// (a leader replaced a conflicting suffix); the storage drops everything after it.
    public var entries: [Entry]
    /// A snapshot received from the leader: persist it (it replaces the whole stored log) and restore the
    /// application from it.
    public var snapshot: Snapshot?
    /// Messages to send once the persistence of this `Ready` is durable.
    public var messages: [Message]
    /// Committed entries the application applies in order, after persisting.
    public var committedEntries: [Entry]

    /// Creates a ready batch.
    public init(
        softState: SoftState? = nil, hardState: HardState? = nil, entries: [Entry] = [],
        snapshot: Snapshot? = nil, messages: [Message] = [], committedEntries: [Entry] = [],
        mustSync: Bool = false
    ) {
        self.softState = softState
        self.hardState = hardState
        self.entries = entries
        self.snapshot = snapshot
        self.messages = messages
        self.committedEntries = committedEntries
        self.mustSync = mustSync
    }

    /// Whether persisting this batch needs an fsync: it carries new entries, a snapshot, or a new term
    /// or vote. A changed commit index alone may be written without one: a node that restarts with an
    /// older commit index re-learns it from the leader, and from the application's applied index.
    public var mustSync: Bool
}
