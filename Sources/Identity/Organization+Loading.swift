#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCrypto

extension Organization {
    /// What `msp/msp.json` holds.
    struct Description: Codable {
        let name: String
        let mspID: String
    }

    /// Reads an MSP folder as `weft crypto generate` writes it (docs/crypto-layout.md): `msp.json`
    /// (name, MSP id), `cacerts/*.pem` (one or more CA certificates), `tlscacerts/*.pem` (the TLS CA
    /// certificates; optional), `admincerts/*.pem` (optional),
    /// `revoked.txt` (optional: one hex serial number per line, `#` starts a comment).
    public static func load(mspDirectory: URL) throws(IdentityError) -> Organization {
        let descriptionURL = mspDirectory.appendingPathComponent("msp.json")
        let description: Description
        do {
            description = try JSONDecoder().decode(Description.self, from: Data(MaterialFiles.read(descriptionURL).utf8))
        } catch let error as IdentityError {
            throw error
        } catch {
            throw .malformedMaterial(path: descriptionURL.path, reason: "expected {\"name\": …, \"mspID\": …}: \(error)")
        }
        let caCertificates = try certificates(in: mspDirectory.appendingPathComponent("cacerts"))
        guard !caCertificates.isEmpty else {
            throw .malformedMaterial(path: mspDirectory.appendingPathComponent("cacerts").path, reason: "no CA certificate (*.pem)")
        }
        let tlsCACertificates = try certificates(in: mspDirectory.appendingPathComponent("tlscacerts"))
        let admins = try certificates(in: mspDirectory.appendingPathComponent("admincerts"))
        let revokedURL = mspDirectory.appendingPathComponent("revoked.txt")
        var revoked: [String] = []
        if FileManager.default.fileExists(atPath: revokedURL.path) {
            for (number, line) in try MaterialFiles.read(revokedURL).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let text = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?
                    .trimmingWhitespace() ?? ""
                guard !text.isEmpty else { continue }
                guard let serial = normalizedSerialNumber(text) else {
                    throw .malformedMaterial(path: revokedURL.path, reason: "line \(number + 1): '\(text)' is not a hex serial number")
                }
                revoked.append(serial)
            }
        }
        return Organization(name: description.name, mspID: description.mspID, caCertificates: caCertificates,
                            tlsCACertificates: tlsCACertificates, adminCertificates: admins, revokedSerialNumbers: revoked)
    }

    private static func certificates(in folder: URL) throws(IdentityError) -> [Certificate] {
        var certificates: [Certificate] = []
        for name in MaterialFiles.contents(of: folder) where name.hasSuffix(".pem") {
            let url = folder.appendingPathComponent(name)
            do {
                certificates += try Certificate.all(inPEM: MaterialFiles.read(url))
            } catch let error as CryptoError {
                throw .malformedMaterial(path: url.path, reason: error.description)
            } catch {
                throw .malformedMaterial(path: url.path, reason: "\(error)")
            }
        }
        return certificates
    }
}
