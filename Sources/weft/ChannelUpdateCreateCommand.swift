import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftCrypto
import WeftNode
import WeftCommandLine

/// `weft channel update create`: an unsigned update of the configuration in force.
struct ChannelUpdateCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Write an update of a channel's configuration in force (unsigned).",
        discussion: """
        Reads the configuration in force from a peer, applies the changes in the order given, and writes \
        the next version to --out. Nothing changes on the network until the update is signed and submitted.

        Examples:
          weft channel update create --dir ./weft-net --channel mychannel --add-org ./org3/msp --out add-org3.bin
          weft channel update create --dir ./weft-net --channel mychannel --set-policy LifecycleEndorsement="ALL peer" --out policy.bin
          weft channel update create --dir ./weft-net --channel mychannel --update-consenter orderer1 --tls-cert new-tls.pem --out rotate.bin
          weft channel update create --dir ./weft-net --channel mychannel --add-consenter orderer4 --address 127.0.0.1:7350 \\
            --tls-cert orderer4/tls/server.crt --signing-cert orderer4/msp/signcerts/cert.pem --out add-orderer4.bin
          weft channel update create --dir ./weft-net --channel mychannel --remove-consenter orderer1 --out remove-orderer1.bin

        One consenter changes per update (added, removed, or its certificates or address), so that Raft \
        changes its membership one orderer at a time.
        """)

    @OptionGroup var client: ClientOptions
    @Option(name: .customLong("add-org"), help: "Add the organization of this MSP folder (as a peer organization).") var addOrganizations: [String] = []
    @Option(name: .customLong("anchor-peer"), help: "An anchor peer of the added organization: NAME=HOST:PORT.") var anchorPeers: [String] = []
    @Option(name: .customLong("remove-org"), help: "Remove the organization with this MSP id.") var removeOrganizations: [String] = []
    @Option(help: "Set a batch setting: batch.maxTxCount=N, batch.preferredMaxBytes=N, batch.absoluteMaxBytes=N, batch.timeoutMilliseconds=N.")
    var set: [String] = []
    @Option(name: .customLong("set-policy"), help: "Set a policy: Readers|Writers|Admins|BlockValidation|Endorsement|LifecycleEndorsement=EXPR (chaincodes' policies change through `weft chaincode`).")
    var setPolicies: [String] = []
    @Option(name: .customLong("update-consenter"), help: "The consenter whose certificates or address change (with --tls-cert, --signing-cert, --address).")
    var consenter: String?
    @Option(name: .customLong("add-consenter"), help: "Add a consenter (an orderer) of this name (with --address, --tls-cert, --signing-cert and, when the channel has several orderer organizations, --msp-id).")
    var addedConsenter: String?
    @Option(name: .customLong("remove-consenter"), help: "Remove the consenter of this name.") var removedConsenter: String?
    @Option(name: .customLong("msp-id"), help: "The added consenter's orderer organization (default: the channel's only one).") var consenterMSPID: String?
    @Option(name: .customLong("tls-cert"), help: "The consenter's (new) TLS certificate (PEM).") var tlsCertificate: String?
    @Option(name: .customLong("signing-cert"), help: "The consenter's (new) signing certificate (PEM).") var signingCertificate: String?
    @Option(help: "The consenter's (new) address (HOST:PORT).") var address: String?
    @Option(help: "Where to write the update.") var out: String

    func validate() throws {
        let consenterChanges = [consenter, addedConsenter, removedConsenter].compactMap { $0 }
        guard consenterChanges.count <= 1 else {
            throw ValidationError("one consenter changes per update: pass one of --update-consenter, --add-consenter, --remove-consenter")
        }
        if consenter == nil, addedConsenter == nil, tlsCertificate != nil || signingCertificate != nil || address != nil {
            throw ValidationError("--tls-cert, --signing-cert and --address need --update-consenter NAME or --add-consenter NAME")
        }
        if addedConsenter != nil, tlsCertificate == nil || signingCertificate == nil || address == nil {
            throw ValidationError("--add-consenter needs --address HOST:PORT, --tls-cert PEM and --signing-cert PEM")
        }
        if consenterMSPID != nil, addedConsenter == nil { throw ValidationError("--msp-id goes with --add-consenter") }
    }

    func run() async throws {
        let edits = try edits()
        guard !edits.isEmpty else {
            throw CLIFailure(.usage, "no change given: pass --add-org, --remove-org, --set, --set-policy, --add-consenter, --remove-consenter or --update-consenter")
        }
        let current = try await client.currentConfiguration()
        let update: ConfigTransaction
        do {
            update = try ChannelConfigEdit.update(of: try current.config(), by: edits)
        } catch let failure as ChannelConfigEdit.Failure {
            throw CLIFailure(.usage, failure.description)
        }
        try ConfigUpdateFile.write(update, to: out)
        if client.json {
            let config = try update.config()
            try JSONOutput.print(["out": JSONValue.string(out), "channel": .string(config.name), "sequence": .unsigned(config.sequence),
                                  "replaces": .unsigned(config.sequence - 1), "txID": .string(update.txID)])
        } else {
            print("wrote \(out): \(ConfigUpdateFile.summary(update)); sign it with `weft channel update sign \(out)`")
        }
    }

    private func edits() throws -> [ChannelConfigEdit] {
        var edits: [ChannelConfigEdit] = []
        for folder in addOrganizations {
            var anchors: [ChannelConfig.AnchorPeer] = []
            for anchor in anchorPeers {
                let parts = anchor.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw CLIFailure(.usage, "--anchor-peer \(anchor): expected NAME=HOST:PORT") }
                anchors.append(.init(name: parts[0], address: parts[1]))
            }
            do {
                edits.append(.addOrganization(try ChannelConfigBuilder.organization(
                    mspFolder: URL(fileURLWithPath: folder), isOrderer: false, anchorPeers: anchors)))
            } catch {
                throw CLIFailure(.usage, "--add-org \(folder): \(error)")
            }
        }
        edits += removeOrganizations.map { .removeOrganization(mspID: $0) }
        for (option, values) in [("--set", set), ("--set-policy", setPolicies)] {
            for value in values {
                let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw CLIFailure(.usage, "\(option) \(value): expected NAME=VALUE") }
                edits.append(option == "--set" ? .set(key: parts[0], value: parts[1]) : .setPolicy(name: parts[0], expression: parts[1]))
            }
        }
        if let addedConsenter, let tlsCertificate, let signingCertificate, let address {
            edits.append(.addConsenter(
                name: addedConsenter, mspID: consenterMSPID, address: address,
                tlsCertificate: try Self.certificate(tlsCertificate), signingCertificate: try Self.certificate(signingCertificate)))
        }
        if let removedConsenter { edits.append(.removeConsenter(name: removedConsenter)) }
        if let consenter {
            edits.append(.updateConsenter(
                name: consenter, tlsCertificate: try tlsCertificate.map(Self.certificate), signingCertificate: try signingCertificate.map(Self.certificate),
                address: address))
        }
        return edits
    }

    /// The DER of the PEM certificate at `path`, or a usage error naming the file.
    static func certificate(_ path: String) throws -> [UInt8] {
        guard let pem = FileManager.default.contents(atPath: path) else { throw CLIFailure(.usage, "cannot read \(path)") }
        do { return try Certificate(pemRepresentation: String(decoding: pem, as: UTF8.self)).derRepresentation } catch {
            throw CLIFailure(.usage, "\(path): \(error)")
        }
    }
}
