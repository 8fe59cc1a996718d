import Identity
import Testing
import WeftCore

/// The txID rule (docs/encoding.md: `txID = hex(SHA-256(nonce ‖ canonical(creator)))`, lower case) on a
/// golden value: the creator and nonce of `GoldenTransactionBytesTests` (WeftCoreTests), hashed with the
/// `openssl` command —
///
///     printf '%s' "000102…1617" "00000007 4f7267314d5350 00000005 3003020101" | tr -d ' ' \
///         | xxd -r -p | openssl dgst -sha256
///
/// so endorsers and committers agree with any client that follows the document, not only with Weft's.
@Suite struct TransactionIDGoldenTests {
    static let creator = SerializedIdentity(mspID: "Org1MSP", certificate: [0x30, 0x03, 0x02, 0x01, 0x01])
    static let nonce = (0..<24).map(UInt8.init)
    static let txID = "6e62053e8e9af99e5579efadfbd97cf1a06b59a9ff979e785d7b3539d3a34fb7"

    @Test func txIDOfTheGoldenNonceAndCreator() {
        #expect(TransactionID.compute(nonce: Self.nonce, creator: Self.creator) == Self.txID)
        #expect(TransactionID.matches(Self.txID, nonce: Self.nonce, creator: Self.creator))
        #expect(!TransactionID.matches(Self.txID.uppercased(), nonce: Self.nonce, creator: Self.creator), "lower case only")
        #expect(!TransactionID.matches(Self.txID, nonce: Array(Self.nonce.dropLast()), creator: Self.creator))
    }
}
