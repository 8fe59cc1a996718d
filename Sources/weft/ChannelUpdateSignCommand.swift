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

/// `weft channel update sign`: add an administrator's signature to an update file.
struct ChannelUpdateSignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Sign a configuration update as an organization's administrator (signatures accumulate in the file).",
        discussion: """
        Each organization's administrator signs with their own identity folder (--identity), or, in a \
        local network, --dir and --org pick that organization's admin. Signing again replaces the same \
        administrator's earlier signature.

        Examples:
          weft channel update sign update.bin --identity ./crypto/org1/users/Admin@org1
          weft channel update sign update.bin --dir ./weft-net --org Org2MSP
        """)

    @Argument(help: "The update file.") var file: String
    @Option(help: "An administrator's identity folder (cert.pem, key.pem, identity.json).") var identity: String?
    @Option(help: "A local network: sign as the admin of --org from its crypto material.") var dir: String?
    @Option(help: "With --dir: the organization (MSP id) whose admin signs.") var org: String?
    @Flag(help: "Print one JSON document instead of text.") var json = false

    func run() throws {
        var update = try ConfigUpdateFile.read(file)
        let folder = try identityFolder()
        let signer: SigningIdentity
        do { signer = try SigningIdentity.load(from: URL(fileURLWithPath: folder)) } catch {
            throw CLIFailure(.usage, "\(folder): \(error)")
        }
        let roles = signer.certificate.subject.organizationalUnits.compactMap(Role.init(rawValue:))
        guard roles.contains(.admin) else {
            throw CLIFailure(.usage, "\(folder) is \(roles.first.map { "a \($0) of" } ?? "an identity of") \(signer.mspID), not an administrator: only administrators' signatures count")
        }
        try update.sign(by: signer)
        try ConfigUpdateFile.write(update, to: file)
        if json {
            try JSONOutput.print(["file": JSONValue.string(file), "signedBy": .array(update.signatures.map { .string($0.signer.mspID) })])
        } else {
            print("signed \(file) as \(signer.mspID) admin: \(ConfigUpdateFile.summary(update))")
        }
    }

    private func identityFolder() throws -> String {
        if let identity { return identity }
        guard let org else { throw CLIFailure(.usage, "pass --identity ADMIN_FOLDER, or --dir DIR --org MSPID in a local network") }
        let admins = try ChannelAdminTarget.adminFolders(network: dir ?? "weft-net")
        guard let folder = admins[org] else {
            throw CLIFailure(.usage, "no admin of \(org) in \(dir ?? "weft-net")/crypto (organizations: \(admins.keys.sorted().joined(separator: ", ")))")
        }
        return folder
    }
}
