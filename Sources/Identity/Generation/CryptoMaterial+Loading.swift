#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension CryptoMaterial {
    /// The folder whose `crypto.json` describes the material of `directory`: `directory` itself (the
    /// `--out` folder of `weft crypto generate`) or its `crypto/` folder (a `weft network up|init`
    /// folder); nil when neither has one.
    public static func materialDirectory(in directory: URL) -> URL? {
        for candidate in [directory, directory.appendingPathComponent("crypto")]
        where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("crypto.json").path) {
            return candidate
        }
        return nil
    }

    /// Reads `<directory>/crypto.json`. Paths in it are relative to `directory`. Material written before
    /// TLS material existed is refused with a message saying to regenerate it.
    public static func load(from directory: URL) throws(IdentityError) -> CryptoMaterial {
        let url = directory.appendingPathComponent("crypto.json")
        let text = try MaterialFiles.read(url)
        do {
            return try JSONDecoder().decode(CryptoMaterial.self, from: Data(text.utf8))
        } catch DecodingError.keyNotFound(let key, _) where key.stringValue.hasPrefix("tls") {
            throw .malformedMaterial(path: url.path, reason: "written without TLS material (no '\(key.stringValue)'); "
                + "regenerate it with weft crypto generate --force")
        } catch {
            throw .malformedMaterial(path: url.path, reason: "not a description written by weft crypto generate: \(error)")
        }
    }

    /// Writes this description as `<directory>/crypto.json`, replacing it whole (pretty-printed, sorted
    /// keys): what `CryptoMaterialGenerator`, `CryptoMaterialIssuance` and `weft network add-org` record.
    public func save(in directory: URL) throws(IdentityError) {
        let url = directory.appendingPathComponent("crypto.json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let manifest: Data
        do { manifest = try encoder.encode(self) } catch {
            throw .fileSystem(path: url.path, reason: "\(error)")
        }
        try MaterialFiles.replace(url, with: String(decoding: manifest, as: UTF8.self) + "\n", mode: MaterialFiles.publicMode)
    }

    /// The names of every identity, organization by organization, in `crypto.json` order.
    public var identityNames: [String] {
        organizations.flatMap { $0.identities.map(\.name) }
    }

    /// The identity named `name` (`peer0.org1`, `Admin@org1`, …) and its organization, or nil.
    public func identity(named name: String) -> (organization: GeneratedOrganization, identity: GeneratedIdentity)? {
        for organization in organizations {
            if let identity = organization.identities.first(where: { $0.name == name }) { return (organization, identity) }
        }
        return nil
    }
}
