import Foundation
import Testing
import WeftCore
import WeftTestSupport
@testable import WeftCrypto

/// Every case of Wycheproof's ECDSA P-256/SHA-256 verification vectors.
@Suite struct WycheproofECDSATests {
    struct File: Decodable {
        let numberOfTests: Int
        let testGroups: [Group]
    }

    struct Group: Decodable {
        let publicKeyDer: String
        let sha: String
        let tests: [Case]
    }

    struct Case: Decodable {
        let tcId: Int
        let comment: String
        let msg: String
        let sig: String
        let result: String
    }

    static func load() throws -> File {
        try JSONDecoder().decode(File.self, from: Vectors.data("wycheproof/ecdsa_secp256r1_sha256_test.json"))
    }

    @Test func everyCase() throws {
        let file = try Self.load()
        var checked = 0
        for group in file.testGroups {
            #expect(group.sha == "SHA-256")
            let key = try P256VerifyingKey(derRepresentation: #require(Hex.decode(group.publicKeyDer)))
            for test in group.tests {
                let message = try #require(Hex.decode(test.msg))
                let signature = try #require(Hex.decode(test.sig))
                let raw = key.isValidSignatureRaw(signature, for: message)
                let ledger = key.isValidSignature(signature, for: message)
                let label = "tcId \(test.tcId) (\(test.comment))"
                switch test.result {
                case "valid":
                    #expect(raw, "\(label): valid signature rejected by the raw verify")
                    // The ledger verify accepts exactly the valid signatures that are canonical low-S.
                    let lowS = ECDSASignature(strictDER: signature)?.isLowS ?? false
                    #expect(ledger == lowS, "\(label): ledger verify \(ledger), low-S \(lowS)")
                case "invalid":
                    #expect(!raw, "\(label): invalid signature accepted by the raw verify")
                    #expect(!ledger, "\(label): invalid signature accepted by the ledger verify")
                default:
                    // "acceptable": either verdict conforms; the ledger stays strict about high S.
                    if ledger { #expect(ECDSASignature(strictDER: signature)?.isLowS == true, "\(label)") }
                }
                checked += 1
            }
        }
        #expect(checked == file.numberOfTests)
        #expect(checked == 484)
    }

    @Test func someValidVectorsAreHighSAndTheLedgerRejectsThem() throws {
        let file = try Self.load()
        var highS = 0
        for group in file.testGroups {
            let key = try P256VerifyingKey(derRepresentation: #require(Hex.decode(group.publicKeyDer)))
            for test in group.tests where test.result == "valid" {
                let signature = try #require(Hex.decode(test.sig))
                guard let parsed = ECDSASignature(strictDER: signature), !parsed.isLowS else { continue }
                highS += 1
                let message = try #require(Hex.decode(test.msg))
                #expect(!key.isValidSignature(signature, for: message))
                // Its low-S twin is the same signature, and the ledger accepts it.
                #expect(key.isValidSignature(parsed.lowS.der, for: message), "tcId \(test.tcId)")
            }
        }
        #expect(highS > 0)
    }
}
