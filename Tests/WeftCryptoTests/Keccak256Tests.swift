import Foundation
import Testing
import WeftCore
import WeftCrypto
import WeftTestSupport

/// Keccak-256 against every vector of ../shared/vectors/keccak (both files, data-driven).
@Suite struct Keccak256Tests {
    private struct LengthVectors: Decodable {
        struct Vector: Decodable { let len: Int; let input: String; let keccak256: String }
        struct Extra: Decodable {
            let input: String
            let keccak256: String
            let sha3_256_FIPS202_DO_NOT_USE: String
        }
        let vectors: [Vector]
        let extras: [Extra]
    }

    private struct KnownAnswers: Decodable {
        struct Vector: Decodable { let len_bits: Int; let msg: String; let md: String }
        let vectors: [Vector]
    }

    @Test func everyLengthFrom0To300() throws {
        let file = try JSONDecoder().decode(LengthVectors.self, from: Vectors.data("keccak/keccak256.json"))
        #expect(!file.vectors.isEmpty)
        for vector in file.vectors {
            let input = try #require(Hex.decode(vector.input))
            #expect(input.count == vector.len)
            #expect(Hex.encode(Keccak256.hash(input)) == vector.keccak256, "length \(vector.len)")
        }
    }

    @Test func extrasAreKeccakNotFIPSSHA3() throws {
        let file = try JSONDecoder().decode(LengthVectors.self, from: Vectors.data("keccak/keccak256.json"))
        #expect(!file.extras.isEmpty)
        for extra in file.extras {
            let digest = Hex.encode(Keccak256.hash(try #require(Hex.decode(extra.input))))
            #expect(digest == extra.keccak256)
            #expect(digest != extra.sha3_256_FIPS202_DO_NOT_USE)
        }
    }

    @Test func keccakTeamShortMessageKnownAnswers() throws {
        let file = try JSONDecoder().decode(KnownAnswers.self, from: Vectors.data("keccak/keccak256-shortmsgkat.json"))
        #expect(!file.vectors.isEmpty)
        for vector in file.vectors {
            let message = try #require(Hex.decode(vector.msg))
            #expect(message.count * 8 == vector.len_bits)
            #expect(Hex.encode(Keccak256.hash(message)) == vector.md.lowercased(), "\(vector.len_bits) bits")
        }
    }

    @Test func writesIntoCallerBuffer() {
        let message = Array("hello".utf8)
        var out = [UInt8](repeating: 0xff, count: 40)
        message.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { Keccak256.hash(input, into: $0.baseAddress!) }
        }
        #expect(Array(out[..<32]) == Keccak256.hash(message))
        #expect(out[32...].allSatisfy { $0 == 0xff })
    }
}
