import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftCommandLine

/// `weft crypto renew`: a new TLS certificate for one node or user from its organization's TLS CA,
/// written over the old one atomically (`CryptoMaterialRenewal.renewTLS`).
struct CryptoRenewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Issue a new TLS certificate for one identity from its organization's TLS CA.",
        discussion: """
        The new certificate has the same subject and names as the old one, a new serial number, and is \
        valid from an hour ago (for as long as the old one was, or --validity-days). The TLS key is \
        kept, so peers and orderers that pin the key keep trusting the identity; --new-key replaces it, \
        and then an orderer pinned by its key needs a channel configuration update. Files are replaced \
        atomically, so a running node that watches them reloads a whole certificate. \
        Layout: docs/crypto-layout.md.

        Examples:
          weft crypto renew --dir ./crypto --node peer0.org1
          weft crypto renew --dir ./weft-net --node orderer0.orderer --validity-days 90 --json
          weft crypto renew --dir ./crypto --node User1@org1 --new-key
        """
    )

    @Option(help: ArgumentHelp(
        "Crypto material folder (weft crypto generate --out) or network folder (weft network up|init --dir).",
        valueName: "dir"))
    var dir: String

    @Option(help: ArgumentHelp("Identity to renew, as named in crypto.json: peer0.org1, orderer0.orderer, Admin@org1, User1@org1.",
                               valueName: "name"))
    var node: String

    @Flag(help: "Replace the TLS key too (an orderer pinned by its key then needs a channel configuration update).")
    var newKey = false

    @Option(help: "Validity of the new certificate in days (default: that of the certificate it replaces).")
    var validityDays: Int?

    @Flag(help: "Print one JSON document (what was renewed) instead of text.")
    var json = false

    func run() throws {
        if let validityDays, !(1...36500).contains(validityDays) {
            throw CLIFailure(.usage, "--validity-days must be between 1 and 36500, not \(validityDays)")
        }
        let folder = URL(fileURLWithPath: dir)
        guard CryptoMaterial.materialDirectory(in: folder) != nil else {
            throw CLIFailure(.usage, "no crypto.json in \(dir) or \(dir)/crypto; give the --out folder of weft crypto generate "
                + "or a weft network up|init folder")
        }
        let renewal: RenewedTLSCertificate
        do {
            renewal = try CryptoMaterialRenewal.renewTLS(in: folder, identity: node, newKey: newKey, validityDays: validityDays)
        } catch .unknownIdentity(let name, let known) {
            throw CLIFailure(.usage, "no identity '\(name)' in \(dir); use one of: " + known.joined(separator: ", "))
        } catch {
            throw CLIFailure(.other, "could not renew the TLS certificate of \(node): \(error)")
        }
        if renewal.keyReplaced {
            // On stderr, so that --json output stays one document.
            DescriptorOutput.standardError("warning: \(renewal.identity) has a new TLS key. " + (renewal.role == .orderer
                ? "Orderers pin each other by TLS key (the channel's consenters): until a channel configuration update "
                    + "carries the new certificate, the other orderers refuse \(renewal.identity).\n"
                : "Whoever pins its old TLS key must be updated; an orderer pinned by key needs a channel configuration update.\n"))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(renewal), as: UTF8.self))
            return
        }
        let root = renewal.directory + "/"
        print("renewed the TLS certificate of \(renewal.identity) (\(renewal.mspID), \(renewal.role.rawValue)): "
            + "serial \(renewal.serialNumber), was \(renewal.previousSerialNumber)")
        print("  valid       \(renewal.notBefore.formatted(.iso8601)) to \(renewal.notAfter.formatted(.iso8601))")
        print("  certificate \(root + renewal.certificatePath)")
        print("  key         \(root + renewal.privateKeyPath) (\(renewal.keyReplaced ? "new" : "kept"))")
    }
}
