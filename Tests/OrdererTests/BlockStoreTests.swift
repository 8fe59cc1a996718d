import Foundation
import Orderer
import Testing
import WeftCore
import WeftCrypto

/// The block store: appends that must continue the chain, reopening, torn-tail recovery, corruption,
/// and deliver streams (from 0, from the middle, live, cancelled, closed).
@Suite struct BlockStoreTests {
    /// `count` chained blocks of three small envelopes each, starting after `tip`.
    static func chain(_ count: Int, after tip: ChainTip = .empty, size: Int = 40) -> [Block] {
        var tip = tip
        return (0..<count).map { _ in
            let data = (0..<3).map { [UInt8](repeating: UInt8(truncatingIfNeeded: Int(tip.height) * 3 + $0), count: size) }
            let block = Block(header: BlockHeader(number: tip.height, previousHash: tip.lastHash, dataHash: Block.dataHash(of: data)),
                              data: data)
            tip = ChainTip(height: tip.height + 1, lastHash: block.header.hash)
            return block
        }
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("weft-blockstore-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func fill(_ store: BlockStore, _ blocks: [Block]) throws {
        for (offset, block) in blocks.enumerated() { try store.append(block, raftIndex: UInt64(10 + offset)) }
        try store.sync()
    }

    @Test func appendsReadBackAndSurviveReopening() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let blocks = Self.chain(5)
        do {
            let store = try BlockStore(directory: directory)
            #expect(store.tip == .empty)
            try store.append(blocks[0], raftIndex: 3)
            #expect(store.height == 0)   // not visible before sync
            #expect(store.appendedTip.height == 1)
            try store.sync()
            try Self.fill(store, Array(blocks[1...]))
            #expect(store.height == 5)
        }
        let reopened = try BlockStore(directory: directory)
        #expect(reopened.recoveredTornBytes == 0)
        #expect(reopened.tip == ChainTip(height: 5, lastHash: blocks[4].header.hash))
        #expect(reopened.lastRaftIndex == 13)
        for block in blocks { #expect(try reopened.block(block.number) == block) }
        #expect(try reopened.headerHash(of: 2) == blocks[2].header.hash)
        #expect(throws: OrdererError.blockNotFound(number: 5, height: 5)) { try reopened.block(5) }
        #expect(try reopened.blocks(startingAt: 1, maxCount: 2, maxBytes: .max).map(\.number) == [1, 2])
        #expect(try reopened.blocks(startingAt: 4, maxCount: 10, maxBytes: .max).map(\.number) == [4])
        #expect(try reopened.blocks(startingAt: 0, maxCount: 10, maxBytes: 1).map(\.number) == [0])
    }

    /// A catch-up answer is sized by its encoding (headers and signatures too), not by envelope bytes,
    /// so it fits the frame it travels in.
    @Test func catchUpAnswersFitTheirByteBudgetAsEncoded() throws {
        let directory = try Self.temporaryDirectory()
        let store = try BlockStore(directory: directory)
        defer { store.close() }
        try Self.fill(store, Self.chain(10))
        let answer = try store.blocks(startingAt: 0, maxCount: 100, maxBytes: 1_000)
        #expect(!answer.isEmpty && answer.map(\.number) == Array(0..<UInt64(answer.count)))
        #expect(BlockList(answer).canonicalBytes.count <= 1_000)
        let next = try store.blocks(startingAt: UInt64(answer.count), maxCount: 1, maxBytes: 1_000)
        #expect(BlockList(answer + next).canonicalBytes.count > 1_000, "as many as fit")
        #expect(try store.blocks(startingAt: 0, maxCount: 3, maxBytes: 1).map(\.number) == [0], "the first always")
    }

    @Test func aBlockThatDoesNotContinueTheChainIsRefused() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try BlockStore(directory: directory)
        let blocks = Self.chain(3)
        #expect(throws: OrdererError.self) { try store.append(blocks[1], raftIndex: 1) }   // a gap
        try store.append(blocks[0], raftIndex: 1)
        var forked = blocks[1]
        forked.header.previousHash = [UInt8](repeating: 7, count: 32)
        #expect(throws: OrdererError.self) { try store.append(forked, raftIndex: 2) }
        #expect(throws: OrdererError.self) { try store.append(blocks[0], raftIndex: 2) }   // twice
    }

    /// A crash can leave the file ending anywhere inside the last record, or followed by zeros; reopening
    /// cuts the tail back to the last whole block.
    @Test(arguments: [
        "cut inside the header", "cut inside the payload", "zeros after the last block", "last payload damaged",
    ])
    func aTornTailIsCutOff(shape: String) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let blocks = Self.chain(4)
        try Self.fill(try BlockStore(directory: directory), Array(blocks[..<3]))
        let path = directory + "/blocks.dat"
        let intact = try Data(contentsOf: URL(fileURLWithPath: path))
        let store = try BlockStore(directory: directory)
        try store.append(blocks[3], raftIndex: 20)
        try store.sync()
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let lastRecord = intact.count
        switch shape {
        case "cut inside the header": bytes = Array(bytes[..<(lastRecord + 30)])
        case "cut inside the payload": bytes = Array(bytes[..<(bytes.count - 5)])
        case "zeros after the last block": bytes = Array(bytes[..<lastRecord]) + [UInt8](repeating: 0, count: 500)
        default: bytes[bytes.count - 3] ^= 0xff
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let recovered = try BlockStore(directory: directory)
        #expect(recovered.tip == ChainTip(height: 3, lastHash: blocks[2].header.hash))
        #expect(recovered.recoveredTornBytes > 0)
        // The store goes on from there.
        try recovered.append(blocks[3], raftIndex: 21)
        try recovered.sync()
        #expect(try recovered.block(3) == blocks[3])
    }

    @Test func damageBeforeTheTailIsReportedNotSkipped() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.fill(try BlockStore(directory: directory), Self.chain(4))
        let path = directory + "/blocks.dat"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[8 + 10] ^= 0x01   // the first record's header (its block number)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: OrdererError.self) { try BlockStore(directory: directory) }

        // A damaged payload in the middle is found when the block is read.
        let other = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: other) }
        try Self.fill(try BlockStore(directory: other), Self.chain(4))
        var otherBytes = Array(try Data(contentsOf: URL(fileURLWithPath: other + "/blocks.dat")))
        otherBytes[8 + 60 + 5] ^= 0x01   // inside block 0's payload
        try Data(otherBytes).write(to: URL(fileURLWithPath: other + "/blocks.dat"))
        let store = try BlockStore(directory: other)
        #expect(store.height == 4)
        #expect(throws: OrdererError.self) { try store.block(0) }
        #expect(try store.block(1).number == 1)
        // Not a block file at all.
        try Data("hello, world".utf8).write(to: URL(fileURLWithPath: other + "/blocks.dat"))
        #expect(throws: OrdererError.self) { try BlockStore(directory: other) }
    }

    @Test func deliverStreamsFromZeroFromTheMiddleAndThenLive() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try BlockStore(directory: directory)
        let blocks = Self.chain(8)
        try Self.fill(store, Array(blocks[..<4]))

        var fromZero = store.blocks(from: 0).makeAsyncIterator()
        var fromMiddle = store.blocks(from: 2).makeAsyncIterator()
        for number in 0..<4 { #expect(try await fromZero.next()?.number == UInt64(number)) }
        #expect(try await fromMiddle.next() == blocks[2])
        #expect(try await fromMiddle.next() == blocks[3])

        // Live: a stream waiting beyond the tip gets each block once it is synced.
        let live = Task {
            var numbers: [UInt64] = []
            for try await block in store.blocks(from: 4) {
                numbers.append(block.number)
                if numbers.count == 4 { break }
            }
            return numbers
        }
        for block in blocks[4...] {
            try await Task.sleep(for: .milliseconds(5))
            try store.append(block, raftIndex: block.number + 100)
            try store.sync()
        }
        #expect(try await live.value == [4, 5, 6, 7])
        #expect(try await fromZero.next()?.number == 4)
    }

    @Test func aWaitingStreamEndsWhenCancelledOrWhenTheStoreCloses() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try BlockStore(directory: directory)
        let cancelled = Task {
            for try await _ in store.blocks(from: 0) {}
        }
        try await Task.sleep(for: .milliseconds(20))
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }

        let closed = Task {
            for try await _ in store.blocks(from: 0) {}
        }
        try await Task.sleep(for: .milliseconds(20))
        store.close()
        await #expect(throws: OrdererError.stopped) { try await closed.value }
        await #expect(throws: OrdererError.stopped) { try await store.waitForBlock(0) }
    }
}
