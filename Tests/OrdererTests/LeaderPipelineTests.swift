@testable import Orderer
import Testing
import WeftCore
import WeftCrypto

/// The leader's block formation: nothing before it starts, blocks chained on the ones in flight, at
/// most `maxInflightBlocks` of them, and applied blocks leave the window.
@Suite struct LeaderPipelineTests {
    static let batch: [[UInt8]] = [[1, 2, 3], [4, 5]]

    @Test func formsNothingBeforeItStartsFromTheAppliedTip() {
        var pipeline = LeaderPipeline(maxInflightBlocks: 2, startsAfter: 7)
        pipeline.enqueue(Self.batch)
        #expect(pipeline.startsAfter == 7)
        #expect(pipeline.nextBlock() == nil)
        let tip = ChainTip(height: 4, lastHash: [UInt8](repeating: 9, count: 32))
        pipeline.start(at: tip)
        let block = pipeline.nextBlock()
        #expect(block?.number == 4)
        #expect(block?.header.previousHash == tip.lastHash)
        #expect(block?.header.dataHash == Block.dataHash(of: Self.batch))
        #expect(block?.data == Self.batch)
    }

    @Test func chainsOnBlocksInFlightAndStopsAtTheLimit() throws {
        var pipeline = LeaderPipeline(maxInflightBlocks: 2, startsAfter: 0)
        pipeline.start(at: .empty)
        for fill in 0..<3 { pipeline.enqueue([[UInt8(fill)]]) }
        #expect(pipeline.queuedEnvelopes == 3)
        let first = try #require(pipeline.nextBlock())
        pipeline.proposed(first, at: 11, term: 2)
        let second = try #require(pipeline.nextBlock())
        #expect(second.header.previousHash == first.header.hash)
        #expect(second.number == 1)
        pipeline.proposed(second, at: 12, term: 2)
        #expect(pipeline.nextBlock() == nil)   // two in flight
        #expect(pipeline.proposedBlock(at: 11, term: 2) == first)
        #expect(pipeline.proposedBlock(at: 11, term: 3) == nil)   // another term's entry at that index
        pipeline.applied(number: 0)
        let third = try #require(pipeline.nextBlock())
        #expect(third.number == 2)
        #expect(third.header.previousHash == second.header.hash)
        #expect(pipeline.queuedEnvelopes == 1)
    }

    @Test func emptyBatchesAreNotQueued() {
        var pipeline = LeaderPipeline(maxInflightBlocks: 1, startsAfter: 0)
        pipeline.enqueue([])
        pipeline.start(at: .empty)
        #expect(pipeline.nextBlock() == nil)
        #expect(pipeline.queued.isEmpty)
    }
}
