import Testing
import Tracing
import WeftTracing

/// The registry of traced transactions: bounded, oldest first out, phases advanced once each.
@Suite struct TransactionTracesTests {
    let start = DefaultTracerClock.Instant(nanosecondsSinceEpoch: 1_000_000_000)

    @Test func remembersNothingWhileOffOrOutsideATrace() {
        let off = TransactionTraces(capacity: 4, isOn: { false })
        off.remember("a", context: .topLevel, now: start)
        #expect(off.isEmpty)
        let on = TransactionTraces(capacity: 4, isOn: { true })
        on.remember("a")   // no current trace context
        #expect(on.isEmpty)
    }

    @Test func theOldestGoFirstBeyondCapacity() {
        let traces = TransactionTraces(capacity: 3, isOn: { true })
        for index in 0..<2000 { traces.remember("tx\(index)", context: .topLevel, now: start) }
        #expect(traces.count == 3)
        #expect(traces.entry(of: "tx1996") == nil)
        #expect(traces.entry(of: "tx1997") != nil && traces.entry(of: "tx1999") != nil)
        traces.remember("tx1997", context: .topLevel, now: start)   // again: no second slot
        #expect(traces.count == 3)
    }

    @Test func eachPhaseEndsOnce() throws {
        let traces = TransactionTraces(capacity: 8, isOn: { true })
        traces.remember("tx", context: .topLevel, now: start)
        let cut = DefaultTracerClock.Instant(nanosecondsSinceEpoch: 2_000_000_000)
        let ended = try #require(traces.mark("tx", endingPhase: 0, at: cut))
        #expect(ended.phase == 0 && ended.phaseStart == start)
        #expect(traces.mark("tx", endingPhase: 0, at: cut) == nil, "a phase reported twice ends once")
        #expect(traces.entry(of: "tx")?.phase == 1 && traces.entry(of: "tx")?.phaseStart == cut)
        #expect(traces.mark("unknown", endingPhase: 0, at: cut) == nil)
    }

    @Test func instantsStepBackByADuration() {
        #expect(start.minus(.milliseconds(250)).nanosecondsSinceEpoch == 750_000_000)
        #expect(start.minus(.seconds(5)).nanosecondsSinceEpoch == 0, "clamped at the epoch")
    }
}
