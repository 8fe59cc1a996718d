import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftCommandLine

/// `weft crypto issue`: a new node of an existing organization, from that organization's CAs
/// (`CryptoMaterialIssuance.addNode`) — an orderer to add to a channel, or another peer.
struct CryptoIssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a new node's signing and TLS certificates from its organization's CAs.",
        discussion: """
        Writes the node's folder (cert.pem, key.pem, ca.pem, identity.json, tls/) beside the organization's \
        other nodes and lists it in crypto.json. Its certificates name the node, localhost and 127.0.0.1 \
        (and every --host). An orderer issued this way joins a channel once a configuration update adds \
        it as a consenter (docs/governance.md, "Adding and removing orderers").

        Examples:
          weft crypto issue --dir ./crypto --org OrdererMSP --name orderer3.orderer --host orderer3.example.com
          weft crypto issue --dir ./weft-net --org Org1MSP --name peer1.org1 --role peer --json
        """
    )

    @Option(help: ArgumentHelp("Crypto material folder (weft crypto generate --out) or network folder.", valueName: "dir")) var dir: String
    @Option(help: "The organization's MSP id.") var org: String
    @Option(help: "The node's name (its host name, e.g. orderer3.orderer).") var name: String
    @Option(help: "orderer or peer.") var role = "orderer"
    @Option(help: "Another host name or IP address the certificates name (repeatable).") var host: [String] = []
    @Flag(help: "Print one JSON document instead of text.") var json = false

    func validate() throws {
        guard role == "orderer" || role == "peer" else { throw ValidationError("--role must be orderer or peer, not \(role)") }
    }

    func run() throws {
        let identity: GeneratedIdentity
        do {
            identity = try CryptoMaterialIssuance.addNode(
                in: URL(fileURLWithPath: dir), organization: org, name: name, role: role == "peer" ? .peer : .orderer, hosts: host)
        } catch .invalidSpecification(let reason) {
            throw CLIFailure(.usage, reason)
        } catch .malformedMaterial(let path, let reason) {
            throw CLIFailure(.usage, "\(path): \(reason)")
        } catch {
            throw CLIFailure(.other, "could not issue \(name): \(error)")
        }
        if json {
            try JSONOutput.print(["name": JSONValue.string(identity.name), "role": .string(identity.role.rawValue), "path": .string(identity.path),
                                  "certificate": .string(identity.certificatePath), "tlsCertificate": .string(identity.tlsCertificatePath)])
        } else {
            print("issued \(identity.name) (\(identity.role.rawValue) of \(org)) in \(identity.path)")
        }
    }
}
