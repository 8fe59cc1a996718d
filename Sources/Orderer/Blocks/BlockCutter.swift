import WeftCore

/// Groups envelopes into batches, one batch per block, as a value-type state machine: no clock, no I/O.
/// Each call returns the actions for its caller to carry out, in order: form a block from a batch
/// (`cut`), start the batch timer (`startTimer`), or stop it (`cancelTimer`).
///
/// Rules (Hyperledger Fabric's): an envelope larger than `absoluteMaxBytes` is rejected; one larger than
/// `preferredMaxBytes` is cut alone, after whatever was pending; an envelope that would push the pending
/// batch past `preferredMaxBytes` cuts the pending batch first; a batch with `maxEnvelopeCount` envelopes
/// is cut at once; and a batch that is not full is cut `batchTimeout` after its first envelope.
public struct BlockCutter: Sendable {
    /// What the caller must do.
    public enum Action: Hashable, Sendable {
        /// A batch is complete: these envelopes, in this order, make the next block.
        case cut([[UInt8]])
        /// Start the batch timer (replacing any running one): after `after`, call
        /// `timerExpired(generation:)` with this generation.
        case startTimer(generation: UInt64, after: Duration)
        /// Nothing is pending any more: the running timer can be stopped (if it fires anyway, it is ignored).
        case cancelTimer
    }

    /// Why an envelope was refused, with the broadcast status to answer.
    public enum Rejection: Error, Hashable, Sendable, CustomStringConvertible {
        /// The envelope is larger than `absoluteMaxBytes`.
        case envelopeTooLarge(size: Int, absoluteMaxBytes: Int)
        /// The envelope has no bytes.
        case emptyEnvelope

        /// The status of the broadcast answer.
        public var status: BroadcastStatus {
            switch self {
            case .envelopeTooLarge: .requestEntityTooLarge
            case .emptyEnvelope: .badRequest
            }
        }

        public var description: String {
            switch self {
            case let .envelopeTooLarge(size, limit):
                "\(status): the envelope has \(size) bytes, more than the channel's absolute maximum of \(limit)"
            case .emptyEnvelope:
                "\(status): the envelope is empty"
            }
        }
    }

    /// The limits this cutter applies (a configuration update may change them: `reconfigure(_:)`).
    public private(set) var limits: BatchLimits
    /// The envelopes waiting for the next cut, in arrival order.
    public private(set) var pending: [[UInt8]] = []
    /// The total size of `pending` in bytes.
    public private(set) var pendingBytes = 0
    /// The generation of the running timer, if one runs.
    public private(set) var runningTimer: UInt64?
    private var lastGeneration: UInt64 = 0

    /// Creates a cutter with nothing pending.
    public init(limits: BatchLimits = BatchLimits()) throws(OrdererError) {
        try limits.validate()
        self.limits = limits
    }

    /// Takes one envelope (already verified by the broadcast service) and returns what to do.
    public mutating func order(_ envelope: [UInt8]) throws(Rejection) -> [Action] {
        let size = envelope.count
        guard size > 0 else { throw .emptyEnvelope }
        guard size <= limits.absoluteMaxBytes else {
            throw .envelopeTooLarge(size: size, absoluteMaxBytes: limits.absoluteMaxBytes)
        }
        let timerWasRunning = runningTimer != nil
        var actions: [Action] = []
        if size > limits.preferredMaxBytes {
            if !pending.isEmpty { actions.append(cut()) }
            actions.append(.cut([envelope]))
        } else {
            if pendingBytes + size > limits.preferredMaxBytes { actions.append(cut()) }
            pending.append(envelope)
            pendingBytes += size
            if pending.count >= limits.maxEnvelopeCount { actions.append(cut()) }
        }
        actions += timerActions(timerWasRunning: timerWasRunning)
        return actions
    }

    /// The batch timer of `generation` fired: cuts the pending batch if that timer is still the current one.
    public mutating func timerExpired(generation: UInt64) -> [Action] {
        guard generation == runningTimer, !pending.isEmpty else { return [] }
        return [cut()]
    }

    /// Takes a configuration entry: it makes a block of its own, after whatever was pending
    /// (docs/governance.md), so the blocks before it are judged by the old configuration and the
    /// blocks after it by the new one.
    public mutating func orderAlone(_ entry: [UInt8]) -> [Action] {
        cutPending() + [.cut([entry])]
    }

    /// Applies new limits from the next envelope on; what is pending stays pending.
    public mutating func reconfigure(_ newLimits: BatchLimits) throws(OrdererError) {
        try newLimits.validate()
        limits = newLimits
    }

    /// Cuts whatever is pending now (for example when this orderer stops leading).
    public mutating func cutPending() -> [Action] {
        guard !pending.isEmpty else { return [] }
        return [cut(), .cancelTimer]
    }

    private mutating func cut() -> Action {
        let batch = pending
        pending = []
        pendingBytes = 0
        runningTimer = nil
        return .cut(batch)
    }

    private mutating func timerActions(timerWasRunning: Bool) -> [Action] {
        if !pending.isEmpty, runningTimer == nil {
            lastGeneration += 1
            runningTimer = lastGeneration
            return [.startTimer(generation: lastGeneration, after: limits.batchTimeout)]
        }
        if pending.isEmpty, timerWasRunning { return [.cancelTimer] }
        return []
    }
}
