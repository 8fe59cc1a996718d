import NIOConcurrencyHelpers
@testable import Orderer
import Raft
import Testing
import WeftCore

/// What the ordering node reports for its metrics: each cut with its reason and size, and for every
/// envelope the leader wrote, the time from acceptance to its block (in the node's clock).
@Suite(.serialized) struct OrderingObserverTests {
    final class Reports: Sendable {
        let cuts = NIOLockedValueBox<[(BlockCutReason, Int, Int)]>([])
        let latencies = NIOLockedValueBox<[Duration]>([])

        var observer: OrderingObserver {
            OrderingObserver(
                blockCut: { reason, envelopes, bytes in self.cuts.withLockedValue { $0.append((reason, envelopes, bytes)) } },
                envelopesWritten: { ages in self.latencies.withLockedValue { $0 += ages } })
        }
    }

    @Test func cutsAreReportedWithTheirReasonAndEveryWrittenEnvelopeIsTimed() async throws {
        let reports = Reports()
        let limits = BatchLimits(maxEnvelopeCount: 10, batchTimeout: .milliseconds(500))
        try await TestCluster.run(limits: limits, configure: { $0.observer = reports.observer }) { cluster in
            let (leader, _) = try await cluster.electLeader()
            var bytes = 0
            for tag in 0..<13 {   // one full batch of 10 (count), then 3 cut by the batch timer
                let envelope = try cluster.envelopes.envelope(tag: tag)
                if tag < 10 { bytes += envelope.count }
                #expect(await cluster.broadcast(envelope, to: leader).status == .success)
            }
            try await cluster.waitForHeight(2)   // ticks the manual clock past the batch timeout
            #expect(reports.cuts.withLockedValue { $0.first?.2 } == bytes)
        }
        let cuts = reports.cuts.withLockedValue { $0 }
        #expect(cuts.count == 2)
        #expect(cuts.first?.0 == .count && cuts.first?.1 == 10)
        #expect(cuts.last?.0 == .timeout && cuts.last?.1 == 3)
        let latencies = reports.latencies.withLockedValue { $0 }
        #expect(latencies.count == 13)
        // The timed-out batch waited at least the batch timeout.
        #expect(latencies.suffix(3).allSatisfy { $0 >= .milliseconds(500) })
    }

    @Test func arrivalsAreTakenOncePerBlockInOrder() {
        var arrivals = EnvelopeArrivals()
        for time in 0..<5 { arrivals.accepted(at: .seconds(time)) }
        let first = Block(number: 0, previousHash: [UInt8](repeating: 0, count: 32), data: [[1], [2]])
        let second = Block(number: 1, previousHash: first.header.hash, data: [[3], [4], [5]])
        #expect(arrivals.written([second, first], now: .seconds(10)) == [.seconds(10), .seconds(9), .seconds(8), .seconds(7), .seconds(6)])
        #expect(arrivals.written([first, second], now: .seconds(20)).isEmpty)   // reported again by an overlapping apply
        #expect(arrivals.count == 0)
        arrivals.accepted(at: .seconds(1))
        arrivals.reset()
        #expect(arrivals.count == 0)
    }
}
