import Foundation
import Identity
import Orderer
import PeerTestSupport
import Testing
import WeftCore
import WeftCrypto

/// Every refusal of the broadcast checks, with its status and a reason that names the problem.
@Suite struct BroadcastCheckTests {
    let network: TestNetwork
    let factory: EnvelopeFactory
    let check: BroadcastCheck

    init() throws {
        network = try TestNetwork()
        factory = EnvelopeFactory(network: network)
        check = BroadcastCheck(channelID: EnvelopeFactory.channel, absoluteMaxBytes: 4_096,
                               validator: network.validator, writerMSPIDs: ["Org1MSP", "Org2MSP"])
    }

    private func refusal(_ bytes: [UInt8], by check: BroadcastCheck? = nil) -> BroadcastRejection? {
        do {
            _ = try (check ?? self.check).check(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func acceptsAWellFormedEnvelopeFromAWriter() throws {
        let envelope = try factory.envelope(tag: 1)
        let accepted = try check.check(envelope)
        #expect(accepted.creatorMSPID == "Org1MSP")
        #expect(accepted.txID.count == 64)
        _ = try check.check(try factory.envelope(tag: 2, signer: network.clients["Org2"]!))
    }

    @Test func malformedBytesAreABadRequest() throws {
        let empty = try #require(refusal([]))
        #expect(empty.status == .badRequest)
        #expect(empty.reason.contains("empty"))
        let garbage = try #require(refusal([0xde, 0xad, 0xbe, 0xef]))
        #expect(garbage.status == .badRequest)
        #expect(garbage.reason.hasPrefix("malformed envelope"))
        // A well-formed envelope whose payload is not a transaction.
        let notATransaction = Envelope(payload: [1, 2, 3], signature: [4]).canonicalBytes
        #expect(refusal(notATransaction)?.status == .badRequest)
        // Every truncation of a good envelope.
        let good = try factory.envelope(tag: 3)
        for length in stride(from: 1, to: good.count, by: 97) {
            #expect(refusal(Array(good.prefix(length)))?.status == .badRequest)
        }
    }

    @Test func oversizedEnvelopesAreRefusedBeforeDecoding() throws {
        let big = try factory.envelope(tag: 4, padding: 5_000)
        let rejection = try #require(refusal(big))
        #expect(rejection.status == .requestEntityTooLarge)
        #expect(rejection.reason.contains("\(big.count) bytes"))
        #expect(rejection.reason.contains("4096"))
        #expect(refusal([UInt8](repeating: 0, count: 4_097))?.status == .requestEntityTooLarge)
    }

    @Test func aSignatureThatDoesNotVerifyIsForbidden() throws {
        let envelope = try factory.envelope(tag: 5)
        // Signed by another key over the same payload.
        let stranger = try P256SigningKey()
        let payload = try Envelope(canonicalBytes: envelope).payload
        let forged = try EnvelopeFactory.resigned(envelope, signature: stranger.signature(for: payload))
        let rejection = try #require(refusal(forged))
        #expect(rejection.status == .forbidden)
        #expect(rejection.reason.contains("signature does not verify"))
        // A valid signature over other bytes.
        let other = try factory.client.signature(for: payload + [0])
        #expect(refusal(try EnvelopeFactory.resigned(envelope, signature: other))?.status == .forbidden)
        // Not a signature at all.
        #expect(refusal(try EnvelopeFactory.resigned(envelope, signature: [0x30, 0x00]))?.status == .forbidden)
    }

    @Test func aHighSTwinOfAValidSignatureIsForbidden() throws {
        let envelope = try factory.envelope(tag: 6)
        let decoded = try Envelope(canonicalBytes: envelope)
        let twin = EnvelopeFactory.highS(of: decoded.signature)
        // The twin is a valid ECDSA signature — only the ledger's low-S rule refuses it.
        #expect(factory.client.certificate.publicKey.isValidSignatureRaw(twin, for: decoded.payload))
        let rejection = try #require(refusal(try EnvelopeFactory.resigned(envelope, signature: twin)))
        #expect(rejection.status == .forbidden)
        #expect(rejection.reason.contains("low S"))
    }

    @Test func aCreatorOfAnUnknownOrganizationIsForbidden() throws {
        let outsiderCA = try CertificateAuthority.selfSigned(subject: DistinguishedName(organization: "Mallory", commonName: "ca.mallory"))
        let outsider = try TestNetwork.identity(
            in: TestNetwork.Org(name: "Mallory", mspID: "MalloryMSP", ca: outsiderCA), role: "client", name: "user1")
        let rejection = try #require(refusal(try factory.envelope(tag: 7, signer: outsider)))
        #expect(rejection.status == .forbidden)
        #expect(rejection.reason.contains("unknown organization"))
        #expect(rejection.reason.contains("MalloryMSP"))
    }

    @Test func aCreatorClaimingAnotherOrganizationsMSPIsForbidden() throws {
        // Org2's CA did not issue Org1's client certificate.
        let client = factory.client
        let impostor = try SigningIdentity(mspID: "Org2MSP", certificate: client.certificate, signingKey: client.signingKey)
        let rejection = try #require(refusal(try factory.envelope(tag: 8, signer: impostor)))
        #expect(rejection.status == .forbidden)
        #expect(rejection.reason.contains("not issued by the organization's CA"))
    }

    @Test func aCreatorWithoutTheClientRoleIsForbidden() throws {
        let rejection = try #require(refusal(try factory.envelope(tag: 9, signer: network.peers["Org1"]!)))
        #expect(rejection.status == .forbidden)
        #expect(rejection.reason.contains("role peer cannot act as client"))
        #expect(refusal(try factory.envelope(tag: 10, signer: network.orderer))?.status == .forbidden)
    }

    @Test func aClientOfAnOrganizationThatMayNotWriteIsForbidden() throws {
        let readOnly = BroadcastCheck(channelID: EnvelopeFactory.channel, absoluteMaxBytes: 4_096,
                                      validator: network.validator, writerMSPIDs: ["Org1MSP"])
        let rejection = try #require(refusal(try factory.envelope(tag: 11, signer: network.clients["Org2"]!), by: readOnly))
        #expect(rejection.status == .forbidden)
        #expect(rejection.reason.contains("not among the writers Org1MSP"))
    }

    @Test func anExpiredCertificateIsForbidden() throws {
        let expired = try TestNetwork.identity(
            in: network.orgs["Org1"]!, role: "client", name: "old",
            notBefore: Date().addingTimeInterval(-7200), notAfter: Date().addingTimeInterval(-60))
        let rejection = try #require(refusal(try factory.envelope(tag: 12, signer: expired)))
        #expect(rejection.status == .forbidden)
        #expect(rejection.reason.contains("expired"))
    }

    @Test func aTimestampOutsideTheSkewIsABadRequest() throws {
        let stale = try #require(refusal(try factory.envelope(tag: 13, timestamp: Date().addingTimeInterval(-11 * 60))))
        #expect(stale.status == .badRequest)
        #expect(stale.reason.contains("11 min"))
        #expect(stale.reason.contains("behind"))
        #expect(stale.reason.contains("±10 min"))
        let future = try #require(refusal(try factory.envelope(tag: 14, timestamp: Date().addingTimeInterval(15 * 60))))
        #expect(future.reason.contains("ahead of"))
        // Within the bound either way.
        _ = try check.check(try factory.envelope(tag: 15, timestamp: Date().addingTimeInterval(-9 * 60)))
        _ = try check.check(try factory.envelope(tag: 16, timestamp: Date().addingTimeInterval(9 * 60)))
        // A tighter configured bound, measured on an injected clock.
        let later = Date().addingTimeInterval(3)
        let tight = BroadcastCheck(channelID: EnvelopeFactory.channel, absoluteMaxBytes: 4_096, validator: network.validator,
                                   writerMSPIDs: ["Org1MSP"], timestampSkew: .seconds(2), now: { later })
        #expect(refusal(try factory.envelope(tag: 17), by: tight)?.status == .badRequest)
    }

    @Test func anotherChannelIsNotFound() throws {
        let rejection = try #require(refusal(try factory.envelope(tag: 18, channel: "otherchannel")))
        #expect(rejection.status == .notFound)
        #expect(rejection.reason.contains("'otherchannel'"))
    }
}
