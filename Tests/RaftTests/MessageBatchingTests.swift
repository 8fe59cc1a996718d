import Raft
import Testing
import WeftCore

/// Raft messages for one destination are split into frames by encoded bytes, not by count.
@Suite struct MessageBatchingTests {
    static func append(_ index: UInt64, bytes: Int) -> Message {
        Message(from: 1, to: 2, term: 3, body: .append(
            prevIndex: index - 1, prevTerm: 3, entries: [Entry(term: 3, index: index, data: [UInt8](repeating: 7, count: bytes))],
            commit: 0))
    }

    static func encodedSize(_ batch: [Message]) -> Int {
        var writer = ByteWriter()
        writer.write(batch)
        return writer.bytes.count
    }

    @Test func everyBatchFitsTheBudgetAndOrderIsKept() {
        let messages = (1...40).map { Self.append(UInt64($0), bytes: 300 + $0 * 37) }
        let batches = Message.batches(messages, maxBytes: 4_000)
        #expect(batches.count > 1)
        #expect(batches.flatMap { $0 } == messages)
        for batch in batches { #expect(Self.encodedSize(batch) <= 4_000) }
    }

    @Test func aMessageLargerThanTheBudgetTravelsAlone() {
        let messages = [Self.append(1, bytes: 10), Self.append(2, bytes: 9_000), Self.append(3, bytes: 10)]
        let batches = Message.batches(messages, maxBytes: 4_000)
        #expect(batches.map(\.count) == [1, 1, 1])
        #expect(Message.batches([], maxBytes: 4_000).isEmpty)
    }
}
