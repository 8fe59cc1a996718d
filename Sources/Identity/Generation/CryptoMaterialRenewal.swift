#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCrypto

/// Renews certificates of generated crypto material in place (docs/crypto-layout.md, "Renewing TLS
/// certificates"). Files are replaced atomically, so a node watching them never reads half a file.
public enum CryptoMaterialRenewal {
    /// Issues a new TLS certificate for identity `name` from its organization's TLS CA and writes it
    /// over `tls/cert.pem`: same subject and subject alternative names as the certificate it replaces,
    /// a new random serial number, valid from an hour before `now`.
    ///
    /// By default the TLS key stays (`tls/key.pem` is not rewritten), so whoever pins the identity's TLS
    /// public key keeps trusting it. With `newKey`, a fresh key is written first (mode 0600), then the
    /// certificate: between the two renames the key does not match the certificate, so a reader that
    /// finds them mismatched reads again.
    ///
    /// - Parameters:
    ///   - directory: the crypto material folder (holding `crypto.json`) or a network folder whose
    ///     `crypto/` holds it.
    ///   - name: the identity's name in `crypto.json`: `peer0.org1`, `orderer0.orderer`, `Admin@org1`, ….
    ///   - validityDays: length of validity; nil keeps that of the certificate being replaced.
    /// - Throws: `.unknownIdentity` for a name not in `crypto.json` (with the known names),
    ///   `.invalidSpecification` for `validityDays` outside 1–36500, `.malformedMaterial` for a folder
    ///   without material or material without TLS files.
    public static func renewTLS(
        in directory: URL,
        identity name: String,
        newKey: Bool = false,
        validityDays: Int? = nil,
        now: Date = Date()
    ) throws(IdentityError) -> RenewedTLSCertificate {
        guard let root = CryptoMaterial.materialDirectory(in: directory) else {
            throw .malformedMaterial(path: directory.appendingPathComponent("crypto.json").path,
                                     reason: "no crypto.json here or in crypto/ (expected a weft crypto generate --out folder or a network folder)")
        }
        if let validityDays, !(1...36500).contains(validityDays) {
            throw .invalidSpecification("validityDays must be between 1 and 36500, not \(validityDays)")
        }
        let material = try CryptoMaterial.load(from: root)
        guard let (organization, identity) = material.identity(named: name) else {
            throw .unknownIdentity(name: name, known: material.identityNames)
        }
        let authority = try loadAuthority(of: organization, in: root)
        let certificateURL = root.appendingPathComponent(identity.tlsCertificatePath)
        let keyURL = root.appendingPathComponent(identity.tlsPrivateKeyPath)
        let previous = try readCertificate(certificateURL)
        let key = newKey ? try generateKey() : try readKey(keyURL, hint: " (a new key replaces it: newKey, --new-key)")

        let notBefore = now.addingTimeInterval(-3600)
        let span = validityDays.map { TimeInterval($0) * 24 * 3600 } ?? previous.notAfter.timeIntervalSince(previous.notBefore)
        let certificate: Certificate
        do {
            certificate = try authority.issue(CertificateTemplate(
                subject: previous.subject, publicKey: key.publicKey, subjectAlternativeNames: previous.subjectAlternativeNames,
                notBefore: notBefore, notAfter: notBefore.addingTimeInterval(span)))
        } catch { throw .crypto(error) }

        if newKey {
            let pem: String
            do { pem = try key.pemRepresentation() } catch { throw .crypto(error) }
            try MaterialFiles.replace(keyURL, with: pem, mode: MaterialFiles.privateMode)
        }
        try MaterialFiles.replace(certificateURL, with: certificate.pemRepresentation, mode: MaterialFiles.publicMode)
        return RenewedTLSCertificate(
            directory: root.path, identity: identity.name, mspID: organization.mspID, role: identity.role,
            certificatePath: identity.tlsCertificatePath, privateKeyPath: identity.tlsPrivateKeyPath,
            serialNumber: certificate.serialNumberHex, previousSerialNumber: previous.serialNumberHex,
            notBefore: certificate.notBefore, notAfter: certificate.notAfter,
            keyReplaced: certificate.publicKey != previous.publicKey)
    }

    /// The organization's TLS CA: its certificate and key, checked to belong together.
    private static func loadAuthority(of organization: GeneratedOrganization, in root: URL) throws(IdentityError) -> CertificateAuthority {
        try loadAuthority(certificate: organization.tlsCACertificatePath, key: organization.tlsCAPrivateKeyPath, in: root, label: "the TLS CA")
    }

    /// A CA from its certificate and key files (relative to `root`), checked to belong together.
    static func loadAuthority(certificate: String, key: String, in root: URL, label: String) throws(IdentityError) -> CertificateAuthority {
        let keyURL = root.appendingPathComponent(key)
        let loaded = try readKey(keyURL)
        do {
            return try CertificateAuthority(certificate: try readCertificate(root.appendingPathComponent(certificate)), signingKey: loaded)
        } catch let error as IdentityError {
            throw error
        } catch {
            throw .malformedMaterial(path: keyURL.path, reason: "not \(label)'s key: \(error)")
        }
    }

    private static func readCertificate(_ url: URL) throws(IdentityError) -> Certificate {
        let text = try MaterialFiles.read(url)
        do { return try Certificate(pemRepresentation: text) } catch {
            throw .malformedMaterial(path: url.path, reason: error.description)
        }
    }

    private static func readKey(_ url: URL, hint: String = "") throws(IdentityError) -> P256SigningKey {
        let text = try MaterialFiles.read(url)
        do { return try P256SigningKey(pemRepresentation: text) } catch {
            throw .malformedMaterial(path: url.path, reason: error.description + hint)
        }
    }

    private static func generateKey() throws(IdentityError) -> P256SigningKey {
        do { return try P256SigningKey() } catch { throw .crypto(error) }
    }
}
