import Foundation
import Identity
import PeerTestSupport
import WeftClient
import WeftCore
import WeftCrypto

/// Signed envelopes for orderer tests: a real proposal by a real client identity (TestNetwork), a
/// response payload of a chosen size, and the creator's signature over the transaction.
struct EnvelopeFactory: Sendable {
    static let channel = "mychannel"

    let network: TestNetwork

    init(network: TestNetwork) {
        self.network = network
    }

    /// The client of Org1.
    var client: SigningIdentity { network.clients["Org1"]! }

    /// An envelope by `signer` (default: Org1's client) whose payload is padded by `padding` bytes; `tag`
    /// makes it unique and is readable back with `tag(of:)`.
    func envelope(
        tag: Int, signer: SigningIdentity? = nil, channel: String = EnvelopeFactory.channel,
        timestamp: Date = Date(), padding: Int = 0
    ) throws -> [UInt8] {
        let signer = signer ?? client
        let builder = TransactionBuilder(identity: signer, channelID: channel)
        let proposal = try builder.proposal(
            chaincode: "asset-transfer", function: "CreateAsset", ["asset\(tag)"], timestamp: timestamp)
        let transaction = Transaction(
            signedProposal: proposal, responsePayloadBytes: Self.tagBytes(tag) + [UInt8](repeating: 0x61, count: padding),
            endorsements: [])
        let payload = transaction.canonicalBytes
        return Envelope(payload: payload, signature: try signer.signature(for: payload)).canonicalBytes
    }

    /// The tag an envelope made by `envelope(tag:…)` carries.
    static func tag(of envelopeBytes: [UInt8]) -> Int? {
        guard let envelope = try? Envelope(canonicalBytes: envelopeBytes),
              let transaction = try? envelope.transaction(),
              transaction.responsePayloadBytes.count >= 8
        else { return nil }
        return Int(transaction.responsePayloadBytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    private static func tagBytes(_ tag: Int) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: UInt64(tag) >> (56 - 8 * $0)) }
    }

    /// The envelope with its signature replaced by `signature`.
    static func resigned(_ envelopeBytes: [UInt8], signature: [UInt8]) throws -> [UInt8] {
        var envelope = try Envelope(canonicalBytes: envelopeBytes)
        envelope.signature = signature
        return envelope.canonicalBytes
    }

    /// The same ECDSA signature with `s` replaced by `n − s`: valid ECDSA, but high S.
    static func highS(of der: [UInt8]) -> [UInt8] {
        let order: [UInt8] = [
            0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
        ]
        // SEQUENCE { INTEGER r, INTEGER s } with short lengths (always so for P-256).
        let rLength = Int(der[3])
        let r = Array(der[4..<4 + rLength])
        let sLength = Int(der[5 + rLength])
        let sBytes = Array(der[(6 + rLength)..<(6 + rLength + sLength)])
        let s = [UInt8](repeating: 0, count: max(0, 32 - sBytes.count)) + sBytes.suffix(32)
        var flipped = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            let difference = Int(order[index]) - Int(s[index]) - borrow
            borrow = difference < 0 ? 1 : 0
            flipped[index] = UInt8((difference + 256) & 0xff)
        }
        func integer(_ value: [UInt8]) -> [UInt8] {
            var magnitude = Array(value.drop { $0 == 0 })
            if magnitude[0] & 0x80 != 0 { magnitude.insert(0, at: 0) }
            return [0x02, UInt8(magnitude.count)] + magnitude
        }
        let body = integer(r) + integer(flipped)
        return [0x30, UInt8(body.count)] + body
    }
}
