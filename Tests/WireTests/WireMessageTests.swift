import Testing
import WeftCore
@testable import Wire

@Suite struct WireMessageTests {
    let server = SerializedIdentity(mspID: "OrdererMSP", certificate: [1, 2, 3])
    let client = SerializedIdentity(mspID: "Org1MSP", certificate: [4, 5])

    @Test func handshakeMessagesRoundTrip() throws {
        let hello = ServerHello(challenge: Array(repeating: 9, count: 32), identity: server)
        #expect(try ServerHello(canonicalBytes: hello.canonicalBytes) == hello)
        let proof = ClientProof(identity: client, challenge: Array(repeating: 8, count: 32), signature: [7, 7])
        #expect(try ClientProof(canonicalBytes: proof.canonicalBytes) == proof)
        let serverProof = ServerProof(signature: [1])
        #expect(try ServerProof(canonicalBytes: serverProof.canonicalBytes) == serverProof)
        let error = ErrorBody(code: 4, message: "permission denied")
        #expect(try ErrorBody(canonicalBytes: error.canonicalBytes) == error)
        let credit = StreamCredit(bytes: 65536)
        #expect(try StreamCredit(canonicalBytes: credit.canonicalBytes) == credit)
    }

    @Test func serverHelloLayout() {
        let hello = ServerHello(challenge: Array(repeating: 0xCC, count: 32), identity: SerializedIdentity(mspID: "O", certificate: [0xDE]))
        #expect(hello.canonicalBytes == [0, 1] + Array(repeating: 0xCC, count: 32) + [0, 0, 0, 1, 0x4F, 0, 0, 0, 1, 0xDE])
    }

    @Test func shortChallengeIsRejected() {
        let bytes: [UInt8] = [0, 1] + Array(repeating: 0, count: 31)
        #expect(throws: DecodingError.self) { try ServerHello(canonicalBytes: bytes) }
    }

    @Test func transcriptSeparatesTheTwoSides() {
        let transcript = HandshakeTranscript(
            serverChallenge: Array(repeating: 1, count: 32), serverIdentity: server,
            clientChallenge: Array(repeating: 2, count: 32), clientIdentity: client
        )
        #expect(transcript.clientSignedBytes != transcript.serverSignedBytes)
        let prefix = HandshakeTranscript.clientContext.canonicalBytes
        #expect(Array(transcript.clientSignedBytes.prefix(prefix.count)) == prefix)
        var otherServer = transcript
        otherServer.serverIdentity.mspID = "EvilMSP"
        #expect(otherServer.clientSignedBytes != transcript.clientSignedBytes)
    }

    @Test func messageTypeRanges() {
        for type in MessageType.allCases {
            #expect(type.rawValue >= 1)
            #expect(MessageType(rawValue: type.rawValue) == type)
        }
        #expect(MessageType.serverHello.isHandshake && !MessageType.ping.isHandshake && !MessageType.deliver.isHandshake)
        #expect(Set(MessageType.allCases.map(\.rawValue)).count == MessageType.allCases.count)
    }
}
