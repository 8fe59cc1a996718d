import Logging
import Orderer
import Testing
import WeftCore
@testable import WeftNode

/// `DeliverFailover` — the peer's choice of orderer — over a scripted block source and a manual
/// clock: an orderer that stays connected but stops delivering while another is ahead is left after
/// `stallTimeout` for the one ahead; one that is merely idle (no orderer ahead) is kept.
@Suite struct DeliverFailoverTests {
    static let timeout: Duration = .seconds(5)

    @Test func anOrdererThatStopsDeliveringIsLeftForOneThatIsAhead() async throws {
        let clock = ManualOrderingClock()
        let source = ScriptedOrderers(chain: 10, served: [5, 10, 10], clock: clock)   // orderer 0 stalls after 5 blocks
        let sink = RecordingSink()
        try await Self.running(source, sink, clock) {
            try await Self.settle(until: { await sink.height == 5 })
            try await Self.drive(clock, until: { await sink.height == 10 })
        }
        let opened = await source.opened
        #expect(opened.map(\.orderer) == [0, 1], "streams opened: \(opened)")
        let switchedAt = try #require(opened.last?.at)
        #expect(switchedAt >= Self.timeout, "left orderer 0 after \(switchedAt), before its \(Self.timeout) of silence")
        #expect(switchedAt <= Self.timeout * 2, "left orderer 0 only after \(switchedAt)")
        #expect(await sink.numbers == Array(0..<10))
    }

    @Test func anIdleOrdererIsKeptWhenNoOtherIsAhead() async throws {
        let clock = ManualOrderingClock()
        let source = ScriptedOrderers(chain: 6, served: [6, 6, 4], clock: clock)
        let sink = RecordingSink()
        try await Self.running(source, sink, clock) {
            try await Self.settle(until: { await sink.height == 6 })
            try await Self.drive(clock, until: { clock.now >= Self.timeout * 10 })
        }
        #expect(await source.opened.map(\.orderer) == [0])
        let asked = await source.heightQueries
        #expect(asked >= 2 && asked <= 2 * 10, "asked the other orderers' heights \(asked) times in 10 quiet spells")
    }

    @Test func aStreamThatFailsMovesToTheNextOrderer() async throws {
        let clock = ManualOrderingClock()
        let source = ScriptedOrderers(chain: 8, served: [3, 8, 8], failing: [0], clock: clock)
        let sink = RecordingSink()
        try await Self.running(source, sink, clock) {
            try await Self.drive(clock, until: { await sink.height == 8 })
        }
        let opened = await source.opened
        #expect(opened.map(\.orderer) == [0, 1])
        #expect(try #require(opened.last?.at) < Self.timeout, "a failed stream is left at once")
    }

    // MARK: Harness

    /// Runs a failover over `source` and `sink` while `body` drives the clock, then cancels it.
    static func running(
        _ source: ScriptedOrderers, _ sink: RecordingSink, _ clock: ManualOrderingClock, _ body: () async throws -> Void
    ) async throws {
        let failover = DeliverFailover(
            source: source, sink: sink, clock: clock, stallTimeout: timeout, connected: ConnectionFlag(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { await failover.run() }
        defer { task.cancel() }
        try await body()
    }

    /// Advances the clock a tenth of a second at a time, each time the failover waits on it and has
    /// nothing else to do, until `condition` holds (at most ten minutes of clock time).
    static func drive(_ clock: ManualOrderingClock, until condition: () async -> Bool) async throws {
        while !(await condition()) {
            guard clock.now < .seconds(600) else { throw TestFailure("the condition did not hold within 600 s of clock time") }
            try await waitUntilQuiet(clock)
            if await condition() { return }
            clock.advance(by: .milliseconds(100))
        }
    }

    /// Waits, yielding, without moving the clock, until `condition` holds.
    static func settle(until condition: () async -> Bool) async throws {
        for _ in 0..<100_000 {
            if await condition() { return }
            await Task.yield()
        }
        throw TestFailure("the condition did not hold")
    }

    /// Waits (yielding, no clock involved) until something sleeps on the clock.
    static func waitUntilQuiet(_ clock: ManualOrderingClock) async throws {
        for _ in 0..<100_000 {
            if clock.sleeperCount > 0 { return }
            await Task.yield()
        }
        throw TestFailure("nothing ever waited on the clock")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Orderers that serve prefixes of one chain: orderer `i` has `served[i]` blocks. A stream delivers
/// what its orderer has from the start asked for, then stays open and silent (as a connected orderer
/// with nothing new does) — or fails, for the orderers in `failing`.
actor ScriptedOrderers: OrdererBlockSource {
    nonisolated let chain: [Block]
    nonisolated let served: [Int]
    nonisolated let failing: Set<Int>
    private(set) var opened: [(orderer: Int, at: Duration)] = []
    private(set) var heightQueries = 0
    private var openStreams: [AsyncStream<Void>.Continuation] = []
    nonisolated let clock: ManualOrderingClock

    init(chain count: Int, served: [Int], failing: Set<Int> = [], clock: ManualOrderingClock) {
        var blocks: [Block] = []
        var previous = BlockHeader.genesisPreviousHash
        for number in 0..<UInt64(count) {
            let block = Block(header: BlockHeader(number: number, previousHash: previous, dataHash: [UInt8](repeating: 0, count: 32)), data: [])
            previous = block.header.hash
            blocks.append(block)
        }
        chain = blocks
        self.served = served
        self.failing = failing
        self.clock = clock
    }

    nonisolated var ordererCount: Int { served.count }

    nonisolated func name(of orderer: Int) -> String { "orderer\(orderer)" }

    func deliver(
        from orderer: Int, startingAt start: UInt64, connected: @Sendable () -> Void,
        into body: @Sendable (Block) async throws -> Void
    ) async throws {
        opened.append((orderer, clock.now))
        connected()
        for block in chain[Int(start)..<served[orderer]] { try await body(block) }
        if failing.contains(orderer) { throw TestFailure("orderer\(orderer)'s link died") }
        // Connected and silent, as an orderer with nothing new is, until the puller gives up on it.
        let (silence, continuation) = AsyncStream.makeStream(of: Void.self)
        openStreams.append(continuation)
        for await _ in silence {}
        throw CancellationError()
    }

    func height(of orderer: Int) async throws -> UInt64 {
        heightQueries += 1
        return UInt64(served[orderer])
    }
}

/// The committer's stand-in: takes the next block only, and records the numbers.
actor RecordingSink: BlockSink {
    private(set) var numbers: [UInt64] = []

    var height: UInt64 { UInt64(numbers.count) }

    func submit(_ block: Block) async throws {
        guard block.header.number == height else { throw TestFailure("block \(block.header.number) is not the next (\(height))") }
        numbers.append(block.header.number)
    }
}
