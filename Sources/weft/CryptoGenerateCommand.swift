import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCommandLine

/// `weft crypto generate`: every organization's CA and TLS CA, and every node, admin and user signing
/// and TLS key and certificate.
struct CryptoGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a CA and a TLS CA per organization, and signing and TLS keys and certificates for every node, admin and user.",
        discussion: """
        Peer organizations are Org1…OrgN (MSP ids Org1MSP…, hosts peer0.org1…); the orderer \
        organization is Orderer (OrdererMSP, hosts orderer0.orderer…). Every identity folder has a \
        tls/ folder with a separate key and a certificate from the organization's TLS CA. Nodes' \
        certificates name the host, localhost and 127.0.0.1, plus every --host pattern ({node} is the \
        host name, {index} the node's number). Private keys get mode 0600. Layout: \
        docs/crypto-layout.md. Refuses to replace existing material unless --force is given.

        Examples:
          weft crypto generate --orgs 2 --peers 2 --orderers 3 --users 1 --out ./crypto
          weft crypto generate --out ./crypto --host '{node}.weft.example' --host 10.0.0.5
          weft crypto generate --config crypto.yaml --out ./crypto --json
        """
    )

    @Option(help: "Folder to write into.")
    var out: String

    @Option(help: ArgumentHelp("YAML description of the organizations (instead of the count flags).", valueName: "file"))
    var config: String?

    @Option(help: "Peer organizations (default 2).")
    var orgs: Int?

    @Option(help: "Peers per organization (default 2).")
    var peers: Int?

    @Option(help: "Orderers (default 3).")
    var orderers: Int?

    @Option(help: "Users per organization besides its admin (default 1).")
    var users: Int?

    @Option(help: "Validity of every certificate in days (default 3650).")
    var validityDays: Int?

    @Option(name: .customLong("host"), help: ArgumentHelp(
        "Extra name for every node's certificates, all organizations; repeatable. {node} is the node's host name, {index} its number.",
        valueName: "pattern"))
    var hosts: [String] = []

    @Flag(help: "Replace existing material in the output folder.")
    var force = false

    @Flag(help: "Print one JSON document (what was written) instead of text.")
    var json = false

    func run() throws {
        let specification = try makeSpecification()
        let material: CryptoMaterial
        do {
            material = try CryptoMaterialGenerator.generate(specification, into: URL(fileURLWithPath: out), overwrite: force)
        } catch .materialExists(let path) {
            throw CLIFailure(.usage, "\(path) already exists; add --force to replace the material, or choose another --out")
        } catch .invalidSpecification(let why) {
            throw CLIFailure(.usage, "\(why)")
        } catch {
            throw CLIFailure(.other, "could not generate crypto material: \(error)")
        }
        if json {
            try JSONOutput.print(material)
            return
        }
        for organization in material.organizations {
            print("\(organization.name) (\(organization.mspID)): CA \(organization.caCertificatePath), "
                + "TLS CA \(organization.tlsCACertificatePath)")
            for identity in organization.identities {
                print("  \(identity.role.rawValue.padded(toLength: 8)) \(identity.name)  \(identity.path)")
            }
        }
        let count = material.organizations.reduce(0) { $0 + 2 * ($1.identities.count + 1) }
        print("wrote \(count) keys and certificates for \(material.organizations.count) organizations to \(out) "
            + "(description: \(out)/crypto.json)")
    }

    private func makeSpecification() throws -> CryptoSpecification {
        var specification: CryptoSpecification
        if let config {
            guard orgs == nil, peers == nil, orderers == nil, users == nil else {
                throw CLIFailure(.usage, "use either --config or --orgs/--peers/--orderers/--users, not both")
            }
            guard let data = FileManager.default.contents(atPath: config) else {
                throw CLIFailure(.usage, "cannot read --config \(config); check the path")
            }
            do {
                specification = try CryptoSpecification(yaml: String(decoding: data, as: UTF8.self))
            } catch {
                throw CLIFailure(.usage, "\(config): \(error)")
            }
            if let validityDays { specification.validityDays = validityDays }
        } else {
            specification = .standard(organizations: orgs ?? 2, peers: peers ?? 2, orderers: orderers ?? 3,
                                      users: users ?? 1, validityDays: validityDays)
        }
        for pattern in hosts {
            do { _ = try HostPattern(pattern, field: "--host") } catch { throw CLIFailure(.usage, "\(error)") }
        }
        if !hosts.isEmpty { specification.hosts = (specification.hosts ?? []) + hosts }
        do { try specification.validate() } catch { throw CLIFailure(.usage, "\(error)") }
        return specification
    }
}
