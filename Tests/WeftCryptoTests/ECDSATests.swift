import Foundation
import Testing
import WeftCore
import WeftTestSupport
@testable import WeftCrypto

/// Signing, verification, low-S, key encodings and their errors.
@Suite struct ECDSATests {
    @Test func signVerifyRoundTripsAndSignaturesAreLowS() throws {
        let key = try P256SigningKey()
        for index in 0..<200 {
            let message = Array("message \(index)".utf8)
            let signature = try key.signature(for: message)
            let parsed = try #require(ECDSASignature(strictDER: signature))
            #expect(parsed.isLowS)
            #expect(parsed.der == signature)
            #expect(key.publicKey.isValidSignature(signature, for: message))
            #expect(key.publicKey.isValidSignatureRaw(signature, for: message))
            #expect(!key.publicKey.isValidSignature(signature, for: message + [0]))
        }
    }

    @Test func highSTwinVerifiesRawButNotOnTheLedger() throws {
        let key = try P256SigningKey()
        let message = Array("pay 10 to bob".utf8)
        let signature = try #require(ECDSASignature(strictDER: key.signature(for: message)))
        let twin = try #require(ECDSASignature(strictDER: highS(of: signature)))
        #expect(!twin.isLowS)
        #expect(key.publicKey.isValidSignatureRaw(twin.der, for: message))
        #expect(!key.publicKey.isValidSignature(twin.der, for: message))
        #expect(twin.lowS == signature)
    }

    @Test func wrongKeyAndGarbageSignaturesFail() throws {
        let key = try P256SigningKey()
        let other = try P256SigningKey()
        let message = Array("hello".utf8)
        let signature = try key.signature(for: message)
        #expect(!other.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature([UInt8](), for: message))
        #expect(!key.publicKey.isValidSignatureRaw([UInt8](), for: message))
        #expect(!key.publicKey.isValidSignature([0x30, 0x00], for: message))
        var generator = SeededGenerator(seed: 7)
        for length in [1, 8, 70, 71, 72, 200] {
            #expect(!key.publicKey.isValidSignatureRaw(generator.bytes(length), for: message))
        }
        // BER padding: a long-form length is not canonical DER.
        let long = [0x30, 0x81, signature[1]] + signature[2...]
        #expect(key.publicKey.isValidSignatureRaw(Array(long), for: message) == false)
        #expect(!key.publicKey.isValidSignature(Array(long), for: message))
        #expect(!key.publicKey.isValidSignature(signature + [0], for: message))
    }

    @Test func digestSigningMatchesMessageSigning() throws {
        let key = try P256SigningKey()
        let message = Array("block header".utf8)
        let signature = try key.signature(forDigest: SHA256.hash(message))
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(key.publicKey.isValidSignature(signature, forDigest: SHA256.hash(message)))
        #expect(throws: CryptoError.self) { try key.signature(forDigest: [1, 2, 3]) }
        #expect(!key.publicKey.isValidSignature(signature, forDigest: [1, 2, 3]))
    }

    @Test func privateKeyDERAndPEMRoundTrip() throws {
        let key = try P256SigningKey()
        let der = try key.derRepresentation()
        let pem = try key.pemRepresentation()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let fromDER = try P256SigningKey(derRepresentation: der)
        let fromPEM = try P256SigningKey(pemRepresentation: pem)
        #expect(fromDER.publicKey == key.publicKey)
        #expect(fromPEM.publicKey == key.publicKey)
        #expect(try fromPEM.derRepresentation() == der)
        let signature = try fromPEM.signature(for: [1, 2, 3])
        #expect(key.publicKey.isValidSignature(signature, for: [1, 2, 3]))
    }

    @Test func publicKeyEncodingsRoundTrip() throws {
        let key = try P256SigningKey().publicKey
        #expect(key.uncompressedPoint.count == 65)
        #expect(key.uncompressedPoint[0] == 0x04)
        #expect(key.derRepresentation.count == 91)
        #expect(Array(key.derRepresentation.suffix(65)) == key.uncompressedPoint)
        #expect(try P256VerifyingKey(derRepresentation: key.derRepresentation) == key)
        #expect(try P256VerifyingKey(pemRepresentation: key.pemRepresentation) == key)
        #expect(try P256VerifyingKey(uncompressedPoint: key.uncompressedPoint) == key)
        #expect(key.pemRepresentation.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
    }

    @Test func pemBase64MatchesFoundation() {
        var generator = SeededGenerator(seed: 3)
        for length in 0..<70 {
            let bytes = generator.bytes(length)
            #expect(PEM.base64Encoded(bytes) == Data(bytes).base64EncodedString())
        }
    }

    @Test func malformedKeysThrowClearErrors() throws {
        let key = try P256SigningKey()
        let der = try key.derRepresentation()
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch { return "\(error)" }
        }
        #expect(message { _ = try P256SigningKey(derRepresentation: [UInt8]()) }.contains("PKCS#8 private key: empty input"))
        #expect(message { _ = try P256SigningKey(derRepresentation: [0x30, 0x03, 0x02, 0x01]) }.contains("PKCS#8 private key"))
        #expect(message { _ = try P256SigningKey(derRepresentation: der + [0]) }.contains("1 trailing bytes"))
        #expect(message { _ = try P256SigningKey(derRepresentation: Array(der.dropLast())) }.contains("malformed input"))
        #expect(message { _ = try P256SigningKey(pemRepresentation: "hello") }.contains("PEM"))
        #expect(message { _ = try P256SigningKey(pemRepresentation: "") }.contains("PEM: empty input"))
        #expect(message { _ = try P256SigningKey(pemRepresentation: key.publicKey.pemRepresentation) }
            .contains("expected a 'PRIVATE KEY' block, found 'PUBLIC KEY'"))
        #expect(message { _ = try P256VerifyingKey(derRepresentation: der) }.contains("SPKI public key"))
        #expect(message { _ = try P256VerifyingKey(derRepresentation: [0x01, 0x02]) }.contains("SPKI public key"))
        #expect(message { _ = try P256VerifyingKey(uncompressedPoint: [0x04] + [UInt8](repeating: 1, count: 64)) }
            .contains("malformed"))
        #expect(message { _ = try P256VerifyingKey(uncompressedPoint: [0x02, 1, 2]) }.contains("expected 65 bytes"))
    }

    @Test func otherCurvesAreUnsupported() throws {
        let directory = try TemporaryDirectory("curve")
        defer { directory.remove() }
        let outcome = try OpenSSLCommand.run(
            ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.pem"], in: directory.url)
        #expect(outcome.succeeded, "\(outcome.output)")
        let pem = try directory.read("p384.pem")
        #expect(throws: CryptoError.unsupported("EC curve secp384r1; Weft uses P-256 (prime256v1)")) {
            _ = try P256SigningKey(pemRepresentation: pem)
        }
    }

    @Test func concurrentSigningAndVerifying() async throws {
        let key = try P256SigningKey()
        let verifier = key.publicKey
        let results = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<50 {
                        let message = Array("task \(task) message \(index)".utf8)
                        guard let signature = try? key.signature(for: message),
                              verifier.isValidSignature(signature, for: message),
                              !verifier.isValidSignature(signature, for: message + [1]) else { return false }
                    }
                    return true
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }

    @Test func verifyingKeyCacheParsesOnceAndStaysBounded() throws {
        let cache = VerifyingKeyCache(capacity: 8)
        let keys = try (0..<20).map { _ in try P256SigningKey().publicKey }
        let first = try cache.key(subjectPublicKeyInfo: keys[0].derRepresentation)
        #expect(first == keys[0])
        #expect(cache.count == 1)
        _ = try cache.key(subjectPublicKeyInfo: keys[0].derRepresentation)
        #expect(cache.count == 1)
        for key in keys { _ = try cache.key(subjectPublicKeyInfo: key.derRepresentation) }
        #expect(cache.count <= 8)
        #expect(throws: CryptoError.self) { try cache.key(subjectPublicKeyInfo: [1, 2, 3]) }
        #expect(throws: CryptoError.self) { try cache.key(certificateDER: [1, 2, 3]) }
    }

    /// The same signature with `s` replaced by `n − s`.
    private func highS(of signature: ECDSASignature) -> [UInt8] {
        var borrow = 0
        var s = [UInt8](repeating: 0, count: 32)
        for index in stride(from: 31, through: 0, by: -1) {
            let difference = Int(ECDSASignature.order[index]) - Int(signature.s[index]) - borrow
            borrow = difference < 0 ? 1 : 0
            s[index] = UInt8((difference + 256) & 0xff)
        }
        func integer(_ value: [UInt8]) -> [UInt8] {
            var magnitude = Array(value.drop { $0 == 0 })
            if magnitude[0] & 0x80 != 0 { magnitude.insert(0, at: 0) }
            return [0x02, UInt8(magnitude.count)] + magnitude
        }
        let body = integer(signature.r) + integer(s)
        return [0x30, UInt8(body.count)] + body
    }
}
