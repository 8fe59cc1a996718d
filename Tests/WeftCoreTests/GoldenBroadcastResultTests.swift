import Testing
import WeftCore

/// The broadcast answer's wire form (docs/encoding.md, "BroadcastResult"): every node and client reads
/// these bytes, so they are pinned.
@Suite struct GoldenBroadcastResultTests {
    @Test func encodesStatusAsU32ThenMessage() throws {
        let refused = BroadcastResult(status: .forbidden, message: "no")
        #expect(refused.canonicalBytes == [0, 0, 0x01, 0x93, 0, 0, 0, 2, 0x6e, 0x6f])
        #expect(try BroadcastResult(canonicalBytes: refused.canonicalBytes) == refused)
        let accepted = BroadcastResult.accepted(by: 2)
        #expect(try BroadcastResult(canonicalBytes: accepted.canonicalBytes) == accepted)
        #expect(accepted.isSuccess)
    }

    @Test func refusesUnknownStatusesAndTruncatedMessages() {
        // 405 is not a broadcast status: a decoding error naming it, not a guess.
        #expect(throws: DecodingError.invalidValue(offset: 0, "unknown broadcast status 405")) {
            try BroadcastResult(canonicalBytes: [0, 0, 0x01, 0x95, 0, 0, 0, 0])
        }
        #expect(throws: DecodingError.self) { try BroadcastResult(canonicalBytes: [0, 0, 0, 0xc8, 0, 0]) }
    }
}
