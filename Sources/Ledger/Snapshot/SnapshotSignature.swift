#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCrypto

/// The producing peer's signature over a snapshot (`signature.json` beside `manifest.json`): its MSP
/// id, its signing certificate, and an ECDSA P-256 signature over `signedBytes` — which cover the
/// snapshot hash, and so the whole manifest and every data file.
///
/// It is a file of its own, outside the manifest, so peers at the same height still write
/// byte-identical data files and manifests and report the same snapshot hash. A snapshot written
/// from a ledger file by the CLI (`weft ledger snapshot --file`) has none: it is unsigned.
public struct SnapshotSignature: Codable, Sendable, Equatable {
    /// The format's name and version.
    public var format: String
    /// The signer's organization.
    public var mspID: String
    /// The signer's certificate, PEM.
    public var certificate: String
    /// The snapshot hash signed, hex (as in the manifest).
    public var snapshotHash: String
    /// DER ECDSA P-256 signature (low S) over SHA-256 of `signedBytes`, hex.
    public var signature: String

    /// The format this version writes and reads.
    public static let currentFormat = "weft-ledger-snapshot-signature/1"
    /// The file's name in a snapshot folder.
    public static let fileName = "signature.json"

    /// The bytes signed for a snapshot hash (hex): the canonical encoding of the format string, then
    /// the 32 bytes of the hash (length-prefixed).
    public static func signedBytes(snapshotHash: String) throws(LedgerError) -> [UInt8] {
        guard let hash = Hex.decode(snapshotHash), hash.count == 32 else {
            throw .invalidArgument("snapshot hash \(snapshotHash.prefix(80)) is not 32 bytes of hex")
        }
        var writer = ByteWriter()
        writer.write(currentFormat)
        writer.write(lengthPrefixed: hash)
        return writer.bytes
    }

    /// Signs `manifest`'s snapshot hash with `signer`.
    public static func make(for manifest: SnapshotManifest, by signer: SnapshotSigner) throws(LedgerError) -> SnapshotSignature {
        let bytes = try signedBytes(snapshotHash: manifest.snapshotHash)
        let signature: [UInt8]
        do { signature = try signer.sign(bytes) } catch {
            throw .invalidArgument("cannot sign the snapshot: \(error)")
        }
        return SnapshotSignature(format: currentFormat, mspID: signer.mspID, certificate: signer.certificate.pemRepresentation,
                                 snapshotHash: manifest.snapshotHash, signature: Hex.encode(signature))
    }

    /// Checks this signature against `manifest` (already verified against its files): same snapshot
    /// hash, a certificate that parses, a signature its key verifies. Returns the signer's certificate.
    /// This says who signed; whether that certificate belongs to a member of the channel is the
    /// reader's to judge (its subject and issuer are printed by `weft ledger verify`).
    public func verify(against manifest: SnapshotManifest, folder: String) throws(LedgerError) -> Certificate {
        let path = folder + "/" + Self.fileName
        guard format == Self.currentFormat else {
            throw .corrupt(path: path, problem: "format \"\(format)\" is not \"\(Self.currentFormat)\"")
        }
        guard snapshotHash == manifest.snapshotHash else {
            throw .corrupt(path: path, problem: "it signs snapshot hash \(snapshotHash), not this snapshot's \(manifest.snapshotHash)")
        }
        let certificate: Certificate
        do { certificate = try Certificate(pemRepresentation: self.certificate) } catch {
            throw .corrupt(path: path, problem: "its certificate does not parse: \(error)")
        }
        guard let signatureBytes = Hex.decode(signature),
              certificate.publicKey.isValidSignature(signatureBytes, for: try Self.signedBytes(snapshotHash: snapshotHash)) else {
            throw .corrupt(path: path, problem: "the signature does not verify with the certificate of \(certificate.subject)")
        }
        return certificate
    }

    /// Reads `folder/signature.json`; nil when the snapshot has none (unsigned).
    public static func read(folder: String) throws(LedgerError) -> SnapshotSignature? {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do { return try JSONDecoder().decode(SnapshotSignature.self, from: data) } catch {
            throw .corrupt(path: path, problem: "it is not a snapshot signature: \(error)")
        }
    }

    /// Writes it as `folder/signature.json` (sorted keys) and fsyncs it.
    func write(to folder: String) throws(LedgerError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes: [UInt8]
        do { bytes = Array(try encoder.encode(self)) + [10] } catch {
            throw .io(operation: "encode", path: folder + "/" + Self.fileName, message: "\(error)")
        }
        let file = try RecordFileWriter(folder: folder, name: Self.fileName)
        try file.append { $0.write(raw: bytes) }
        _ = try file.finish()
    }
}

/// Who signs the snapshots a peer writes: its MSP id, its signing certificate, and a function that
/// signs bytes with its key (low-S ECDSA P-256 over SHA-256).
public struct SnapshotSigner: Sendable {
    public let mspID: String
    public let certificate: Certificate
    public let sign: @Sendable ([UInt8]) throws -> [UInt8]

    public init(mspID: String, certificate: Certificate, sign: @escaping @Sendable ([UInt8]) throws -> [UInt8]) {
        self.mspID = mspID
        self.certificate = certificate
        self.sign = sign
    }
}
