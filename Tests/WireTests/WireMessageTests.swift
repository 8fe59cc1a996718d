import Testing
import WeftCore
@testable import Wire

@Suite struct WireMessageTests {
    @Test func controlMessagesRoundTrip() throws {
        let error = ErrorBody(code: 4, message: "permission denied")
        #expect(try ErrorBody(canonicalBytes: error.canonicalBytes) == error)
        let credit = StreamCredit(bytes: 65536)
        #expect(try StreamCredit(canonicalBytes: credit.canonicalBytes) == credit)
    }

    @Test func errorBodyLayout() {
        // code u16 = 4, then the message as a u32 length and its UTF-8 bytes.
        #expect(ErrorBody(code: 4, message: "no").canonicalBytes == [0, 4, 0, 0, 0, 2, 0x6E, 0x6F])
    }

    @Test func messageTypeRanges() {
        for type in MessageType.allCases {
            #expect(type.rawValue >= 1)
            #expect(MessageType(rawValue: type.rawValue) == type)
        }
        // 300–302 carried the pre-TLS handshake; they stay unassigned so an old client is refused.
        #expect((300...302).allSatisfy { MessageType(rawValue: $0) == nil })
        #expect(Set(MessageType.allCases.map(\.rawValue)).count == MessageType.allCases.count)
    }
}
