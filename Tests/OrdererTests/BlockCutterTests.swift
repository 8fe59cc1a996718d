import Orderer
import Raft
import Testing

@Suite struct BlockCutterTests {
    static func envelope(_ size: Int, _ fill: UInt8 = 1) -> [UInt8] { [UInt8](repeating: fill, count: size) }

    static let small = BatchLimits(maxEnvelopeCount: 3, preferredMaxBytes: 100, absoluteMaxBytes: 250,
                                   batchTimeout: .milliseconds(50))

    @Test func cutsAtTheMaximumEnvelopeCount() throws {
        var cutter = try BlockCutter(limits: Self.small)
        #expect(try cutter.order(Self.envelope(10, 1)) == [.startTimer(generation: 1, after: .milliseconds(50))])
        #expect(try cutter.order(Self.envelope(10, 2)) == [])
        #expect(try cutter.order(Self.envelope(10, 3))
            == [.cut([Self.envelope(10, 1), Self.envelope(10, 2), Self.envelope(10, 3)]), .cancelTimer])
        #expect(cutter.pending.isEmpty)
    }

    @Test func anEnvelopeThatWouldOverflowPreferredBytesCutsThePendingBatchFirst() throws {
        var cutter = try BlockCutter(limits: Self.small)
        _ = try cutter.order(Self.envelope(60, 1))
        // 60 + 50 > 100: the pending batch is cut, the new envelope starts the next batch and its timer.
        #expect(try cutter.order(Self.envelope(50, 2))
            == [.cut([Self.envelope(60, 1)]), .startTimer(generation: 2, after: .milliseconds(50))])
        #expect(cutter.pending == [Self.envelope(50, 2)])
        // Exactly reaching the preferred size does not overflow.
        #expect(try cutter.order(Self.envelope(50, 3)) == [])
        #expect(cutter.pendingBytes == 100)
    }

    @Test func anEnvelopeLargerThanPreferredBytesGoesAloneAfterThePendingBatch() throws {
        var cutter = try BlockCutter(limits: Self.small)
        _ = try cutter.order(Self.envelope(10, 1))
        #expect(try cutter.order(Self.envelope(150, 2))
            == [.cut([Self.envelope(10, 1)]), .cut([Self.envelope(150, 2)]), .cancelTimer])
        #expect(try cutter.order(Self.envelope(250, 3)) == [.cut([Self.envelope(250, 3)])])
    }

    @Test func envelopesLargerThanAbsoluteBytesAreRejectedWithAClearStatus() throws {
        var cutter = try BlockCutter(limits: Self.small)
        _ = try cutter.order(Self.envelope(10, 1))
        #expect(throws: BlockCutter.Rejection.envelopeTooLarge(size: 251, absoluteMaxBytes: 250)) {
            try cutter.order(Self.envelope(251))
        }
        #expect(throws: BlockCutter.Rejection.emptyEnvelope) { try cutter.order([]) }
        #expect(cutter.pending == [Self.envelope(10, 1)])
        #expect(BlockCutter.Rejection.envelopeTooLarge(size: 251, absoluteMaxBytes: 250).status.rawValue == 413)
        #expect("\(BlockCutter.Rejection.envelopeTooLarge(size: 251, absoluteMaxBytes: 250))"
            == "413 REQUEST_ENTITY_TOO_LARGE: the envelope has 251 bytes, more than the channel's absolute maximum of 250")
    }

    @Test func theBatchTimeoutCutsAndStaleTimersAreIgnored() throws {
        var cutter = try BlockCutter(limits: Self.small)
        _ = try cutter.order(Self.envelope(10, 1))
        _ = try cutter.order(Self.envelope(95, 2))  // overflow: cut, new timer 2
        #expect(cutter.runningTimer == 2)
        #expect(cutter.timerExpired(generation: 1) == [])
        #expect(cutter.timerExpired(generation: 2) == [.cut([Self.envelope(95, 2)])])
        #expect(cutter.timerExpired(generation: 2) == [])
        #expect(cutter.runningTimer == nil)
        #expect(try cutter.order(Self.envelope(5, 3)) == [.startTimer(generation: 3, after: .milliseconds(50))])
        #expect(cutter.cutPending() == [.cut([Self.envelope(5, 3)]), .cancelTimer])
        #expect(cutter.cutPending() == [])
    }

    @Test func fabricDefaultsAndInvalidLimits() throws {
        let defaults = BatchLimits()
        #expect(defaults.maxEnvelopeCount == 500)
        #expect(defaults.preferredMaxBytes == 2 * 1024 * 1024)
        #expect(defaults.absoluteMaxBytes == 10 * 1024 * 1024)
        #expect(defaults.batchTimeout == .seconds(2))
        #expect(throws: OrdererError.invalidBatchLimits("absoluteMaxBytes (10) must be at least preferredMaxBytes (20)")) {
            try BlockCutter(limits: BatchLimits(preferredMaxBytes: 20, absoluteMaxBytes: 10))
        }
        #expect(throws: OrdererError.self) { try BlockCutter(limits: BatchLimits(maxEnvelopeCount: 0)) }
        #expect(throws: OrdererError.self) { try BlockCutter(limits: BatchLimits(batchTimeout: .zero)) }
    }

    /// Random sequences of envelopes, timer firings (current and stale) and forced cuts: every accepted
    /// envelope lands in exactly one batch, in arrival order; every batch respects the limits; a timer
    /// runs exactly while something is pending.
    @Test(arguments: 1...200)
    func randomSequencesKeepEveryEnvelopeInExactlyOneBatch(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let limits = BatchLimits(
            maxEnvelopeCount: Int.random(in: 1...8, using: &random),
            preferredMaxBytes: Int.random(in: 16...200, using: &random),
            absoluteMaxBytes: Int.random(in: 200...400, using: &random),
            batchTimeout: .seconds(1))
        var cutter = try BlockCutter(limits: limits)
        var accepted: [[UInt8]] = []
        var batches: [[[UInt8]]] = []
        var liveTimer: UInt64?
        var issuedGenerations: [UInt64] = []
        for step in 0..<Int.random(in: 1...150, using: &random) {
            var actions: [BlockCutter.Action] = []
            switch Int.random(in: 0..<10, using: &random) {
            case 0 where !issuedGenerations.isEmpty:
                actions = cutter.timerExpired(generation: issuedGenerations.randomElement(using: &random)!)
            case 1:
                actions = cutter.cutPending()
            default:
                // Unique content: the step number in the first bytes.
                let size = Int.random(in: 4...(limits.absoluteMaxBytes + 40), using: &random)
                var envelope = [UInt8](repeating: 0xee, count: size)
                withUnsafeBytes(of: UInt32(step).bigEndian) { envelope.replaceSubrange(0..<4, with: $0) }
                do {
                    actions = try cutter.order(envelope)
                    accepted.append(envelope)
                    #expect(size <= limits.absoluteMaxBytes)
                } catch {
                    #expect(size > limits.absoluteMaxBytes)
                    #expect(error == .envelopeTooLarge(size: size, absoluteMaxBytes: limits.absoluteMaxBytes))
                }
            }
            for action in actions {
                switch action {
                case let .cut(batch):
                    batches.append(batch)
                case let .startTimer(generation, _):
                    liveTimer = generation
                    issuedGenerations.append(generation)
                case .cancelTimer:
                    liveTimer = nil
                }
            }
            if cutter.pending.isEmpty {
                #expect(cutter.runningTimer == nil)
            } else {
                #expect(liveTimer != nil && liveTimer == cutter.runningTimer)
            }
        }
        #expect(batches.flatMap { $0 } + cutter.pending == accepted)
        for batch in batches {
            #expect(!batch.isEmpty)
            #expect(batch.count <= limits.maxEnvelopeCount)
            let bytes = batch.reduce(0) { $0 + $1.count }
            #expect(bytes <= limits.preferredMaxBytes || batch.count == 1)
        }
    }
}
