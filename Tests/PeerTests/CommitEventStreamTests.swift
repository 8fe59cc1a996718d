import AssetTransfer
import Committer
import Foundation
import PeerTestSupport
import Testing
import WeftCore

/// Commit-event streams are pulled: a subscriber that stops reading holds back no commit and
/// accumulates nothing, and one that goes away leaves no waiter behind.
@Suite struct CommitEventStreamTests {
    @Test func subscribersThatStopReadingHoldBackNothing() async throws {
        var harness = try PeerHarness()
        let committer = harness.peers[0].committer
        try await harness.commit([try harness.endorse(AssetTransfer.name, "CreateAsset", ["s0", "red", "1", "al", "1"])])
        // 300 subscribers from block 0 read one block, then never read again.
        let stalled = (0..<300).map { _ in
            Task {
                var iterator = committer.events(from: 0).makeAsyncIterator()
                _ = try? await iterator.next()
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        for index in 1...20 {
            try await harness.commit([try harness.endorse(AssetTransfer.name, "CreateAsset", ["s\(index)", "red", "1", "al", "1"])])
        }
        #expect(await committer.height == 21)
        for task in stalled { task.cancel() }
        // A new subscriber still gets every block, history first.
        var numbers: [UInt64] = []
        for try await events in committer.events(from: 0) {
            numbers.append(events.blockNumber)
            if numbers.count == 21 { break }
        }
        #expect(numbers == Array(0...20))
    }

    @Test func cancelledWaitersAreRemoved() async throws {
        let harness = try PeerHarness()
        let committer = harness.peers[0].committer
        let waiting = (0..<100).map { _ in
            Task {
                var iterator = committer.events(from: 5).makeAsyncIterator()
                _ = try? await iterator.next()
            }
        }
        for _ in 0..<200 where await committer.waitingEventStreams < 100 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await committer.waitingEventStreams == 100)
        for task in waiting { task.cancel() }
        for task in waiting { await task.value }
        #expect(await committer.waitingEventStreams == 0)
    }
}
