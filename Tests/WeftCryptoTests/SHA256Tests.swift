import Testing
import WeftCore
@testable import WeftCrypto

@Suite struct SHA256Tests {
    @Test func knownDigests() {
        #expect(Hex.encode(SHA256.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hex.encode(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func incrementalEqualsOneShot() {
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        var hasher = SHA256()
        hasher.update(message[..<10])
        hasher.update(message[10...])
        #expect(hasher.finalize() == SHA256.hash(message))
        #expect(SHA256.hash(parts: [Array(message[..<5]), Array(message[5...])]) == SHA256.hash(message))
    }

    @Test func randomBytesDiffer() throws {
        let a = try SecureRandom.bytes(count: 32)
        let b = try SecureRandom.bytes(count: 32)
        #expect(a.count == 32 && a != b)
    }
}
