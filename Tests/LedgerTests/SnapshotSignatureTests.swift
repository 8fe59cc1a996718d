import Foundation
import Testing
import WeftCore
import WeftCrypto
import LedgerTestSupport
@testable import Ledger

/// A snapshot signed by its producer: the signature file sits beside the manifest (the data files and
/// the manifest stay the same bytes as an unsigned snapshot's), verifies with the signer's
/// certificate, and is refused once it no longer covers the snapshot.
@Suite struct SnapshotSignatureTests {
    private func signer() throws -> SnapshotSigner {
        let authority = try CertificateAuthority.selfSigned(subject: DistinguishedName(organization: "Org1", commonName: "peer0.org1"))
        let key = authority.signingKey
        return SnapshotSigner(mspID: "Org1MSP", certificate: authority.certificate) { try key.signature(for: $0) }
    }

    @Test func aSignedSnapshotVerifiesAndNamesItsSigner() throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.path("channel.sqlite"))
        defer { ledger.close() }
        var builder = BlockBuilder()
        let workload = DeterministicWorkload(seed: 5)
        for number in 0..<6 {
            let (block, transactions) = builder.next(workload.transactions(ofBlock: UInt64(number)))
            try ledger.commit(block, transactions: transactions)
        }
        let signed = directory.path("signed")
        let unsigned = directory.path("unsigned")
        let manifest = try ledger.exportSnapshot(channel: "mychannel", to: signed, signer: try signer())
        _ = try ledger.exportSnapshot(channel: "mychannel", to: unsigned)
        #expect(FileManager.default.contents(atPath: signed + "/manifest.json") == FileManager.default.contents(atPath: unsigned + "/manifest.json"))
        #expect(try SnapshotSignature.read(folder: unsigned) == nil)

        let signature = try #require(try SnapshotSignature.read(folder: signed))
        #expect(signature.mspID == "Org1MSP" && signature.snapshotHash == manifest.snapshotHash)
        let certificate = try signature.verify(against: try SnapshotManifest.verify(folder: signed), folder: signed)
        #expect("\(certificate.subject)".contains("peer0.org1"))

        var forged = signature
        forged.snapshotHash = String(repeating: "ab", count: 32)
        #expect(throws: LedgerError.self) { try forged.verify(against: manifest, folder: signed) }
        var other = manifest
        other.snapshotHash = forged.snapshotHash
        forged.signature = try SnapshotSignature.make(for: other, by: try signer()).signature
        #expect(throws: LedgerError.self) { try forged.verify(against: other, folder: signed) }
    }
}
