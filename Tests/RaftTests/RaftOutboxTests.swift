import Raft
import Testing
import WeftCore

/// `RaftOutbox`: what waits for one destination leaves in frames bounded by encoded bytes, in
/// order, everything that accumulated in one frame when it fits; a full outbox drops the oldest.
@Suite struct RaftOutboxTests {
    static func append(_ index: UInt64, bytes: Int) -> Message {
        Message(from: 1, to: 2, term: 3, body: .append(
            prevIndex: index - 1, prevTerm: 3, entries: [Entry(term: 3, index: index, data: [UInt8](repeating: 7, count: bytes))],
            commit: 0))
    }

    static func encodedSize(_ frame: [Message]) -> Int {
        var writer = ByteWriter()
        writer.write(frame)
        return writer.bytes.count
    }

    static func drain(_ outbox: inout RaftOutbox, maxFrameBytes: Int) -> [[Message]] {
        var frames: [[Message]] = []
        while let frame = outbox.takeFrame(maxFrameBytes: maxFrameBytes) { frames.append(frame) }
        return frames
    }

    @Test func everyFrameFitsTheBudgetAndOrderIsKept() {
        let messages = (1...40).map { Self.append(UInt64($0), bytes: 300 + $0 * 37) }
        var outbox = RaftOutbox()
        outbox.append(Array(messages.prefix(15)))
        outbox.append(Array(messages.dropFirst(15)))
        let frames = Self.drain(&outbox, maxFrameBytes: 4_000)
        #expect(frames.count > 1)
        #expect(frames.flatMap { $0 } == messages)
        for frame in frames { #expect(Self.encodedSize(frame) <= 4_000) }
        #expect(outbox.isEmpty)
    }

    @Test func aMessageLargerThanTheBudgetTravelsAlone() {
        var outbox = RaftOutbox()
        outbox.append([Self.append(1, bytes: 10), Self.append(2, bytes: 9_000), Self.append(3, bytes: 10)])
        #expect(Self.drain(&outbox, maxFrameBytes: 4_000).map(\.count) == [1, 1, 1])
        #expect(outbox.takeFrame(maxFrameBytes: 4_000) == nil)
    }

    /// The point of the outbox: many `Ready` batches queued while a frame was on its way leave as one.
    @Test func batchesQueuedMeanwhileLeaveInOneFrame() {
        var outbox = RaftOutbox()
        for index in 1...50 { outbox.append([Message(from: 1, to: 2, term: 3, body: .heartbeat(commit: UInt64(index)))]) }
        outbox.append([Self.append(1, bytes: 100)])
        let frames = Self.drain(&outbox, maxFrameBytes: 1 << 20)
        #expect(frames.map(\.count) == [51])
    }

    @Test func aFullOutboxDropsTheOldestButKeepsTheNewest() {
        let size = Self.encodedSize([Self.append(1, bytes: 1_000)]) - 4
        var outbox = RaftOutbox(maxBytes: size * 10)
        let messages = (1...25).map { Self.append(UInt64($0), bytes: 1_000) }
        for message in messages { outbox.append([message]) }
        #expect(outbox.count == 10)
        #expect(outbox.dropped == 15)
        #expect(Self.drain(&outbox, maxFrameBytes: 1 << 20).flatMap { $0 } == Array(messages.suffix(10)))

        var tiny = RaftOutbox(maxBytes: 1)
        tiny.append([Self.append(1, bytes: 5_000), Self.append(2, bytes: 5_000)])
        #expect(tiny.takeFrame(maxFrameBytes: 1 << 20) == [Self.append(2, bytes: 5_000)])
    }

    /// Taking part of a long queue and appending more keeps the order across the internal compaction.
    @Test func orderSurvivesLongRuns() {
        var outbox = RaftOutbox()
        var sent: [Message] = []
        var received: [Message] = []
        for round in 0..<300 {
            let batch = (0..<7).map { Message(from: 1, to: 2, term: 3, body: .heartbeat(commit: UInt64(round * 7 + $0))) }
            sent += batch
            outbox.append(batch)
            if round % 3 == 0, let frame = outbox.takeFrame(maxFrameBytes: 200) { received += frame }
        }
        received += Self.drain(&outbox, maxFrameBytes: 200).flatMap { $0 }
        #expect(received == sent)
    }
}
