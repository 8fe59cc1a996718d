import Testing
@testable import WeftOTLP

/// The bounded queue between ending spans and exporting them: full means drop and count, never wait.
@Suite struct ExportQueueTests {
    @Test func aFullQueueDropsAndCounts() {
        var queue = ExportQueue<Int>(capacity: 4, batchSize: 2)
        let outcomes = (1...7).map { queue.append($0) }
        #expect(outcomes == [.queued, .batchReady, .queued, .queued, .dropped, .dropped, .dropped])
        #expect(queue.count == 4)
        #expect(queue.dropped == 3)
        // The oldest go first; the dropped ones are the newest, never queued.
        #expect(queue.takeBatch() == [1, 2])
        #expect(queue.append(8) == .queued)
        #expect(queue.takeBatch() == [3, 4])
        #expect(queue.takeBatch() == [8])
        #expect(queue.takeBatch() == [])
        #expect(queue.dropped == 3)
    }

    @Test func aBatchIsReadyEachTimeTheWaitingFillOne() {
        var queue = ExportQueue<Int>(capacity: 10, batchSize: 3)
        var ready = 0
        for value in 0..<9 where queue.append(value) == .batchReady { ready += 1 }
        #expect(ready == 1)   // still 9 waiting: the exporter was told once and takes them all
        _ = queue.takeBatch()
        _ = queue.takeBatch()
        #expect(queue.count == 3)
        #expect(queue.append(9) == .queued)
        _ = queue.takeBatch()   // one left
        #expect(queue.append(10) == .queued)
        #expect(queue.append(11) == .batchReady)
        #expect(queue.append(12) == .queued)
    }

    @Test func removeAllEmptiesAndCounts() {
        var queue = ExportQueue<Int>(capacity: 8, batchSize: 8)
        for value in 0..<5 { _ = queue.append(value) }
        _ = queue.takeBatch()
        for value in 0..<3 { _ = queue.append(value) }
        #expect(queue.removeAll() == 3)
        #expect(queue.isEmpty)
    }

    @Test func manyRoundsKeepOrderAndBound() {
        var queue = ExportQueue<Int>(capacity: 64, batchSize: 5)
        var next = 0
        var taken: [Int] = []
        for round in 0..<200 {
            for _ in 0..<(round % 7) where queue.append(next) != .dropped { next += 1 }
            taken += queue.takeBatch()
        }
        while !queue.isEmpty { taken += queue.takeBatch() }
        #expect(taken == Array(0..<next))
        #expect(queue.dropped == 0)
    }
}
