import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftClient
import WeftCore
import WeftNode
import WeftRPC
import Wire
import WeftCommandLine

/// The nodes a `weft channel` admin command talks to, and as whom: with `--dir`, each node of a local
/// network as an admin of that node's organization (from the network's crypto material); with
/// `--profile` and `--identity`, the nodes of the profile (or `--node`) as that admin.
struct ChannelAdminTarget: ParsableArguments {
    @Option(help: "A local network made by `weft network up` (default ./weft-net).") var dir: String?
    @Option(help: "A connection profile YAML (with --identity: an admin of the nodes' organization).") var profile: String?
    @Option(help: "An admin identity folder (cert.pem, key.pem, tls/).") var identity: String?
    @Option(help: "Only this node (default: every node of the network).") var node: String?
    @Flag(help: "Print one JSON document instead of text.") var json = false

    /// One node to call and the admin identity folder to call it as.
    struct Call {
        let name: String
        let address: String
        let role: Role
        let mspID: String
        let adminFolder: String
    }

    /// The calls to make, in profile order (orderers first).
    func calls() throws -> (profile: ConnectionProfile, calls: [Call]) {
        let folder = profile == nil ? (dir ?? "weft-net") : nil
        let profilePath = profile ?? "\(folder!)/profile.yaml"
        let loaded: ConnectionProfile
        do { loaded = try ConnectionProfile.load(path: profilePath) } catch {
            throw CLIFailure(.usage, "\(error) — pass --dir DIR of a local network, or --profile FILE --identity ADMIN")
        }
        let admins = try folder.map(Self.adminFolders) ?? [:]
        var calls: [Call] = []
        let nodes = loaded.orderers.map { ($0.name, $0.address, Role.orderer, $0.mspID ?? "") }
            + loaded.peers.map { ($0.name, $0.address, Role.peer, $0.mspID) }
        for (name, address, role, mspID) in nodes where node == nil || node == name {
            guard let admin = identity ?? admins[mspID] else {
                throw CLIFailure(.usage, "no admin identity for \(name) (\(mspID)): pass --identity ADMIN_FOLDER")
            }
            calls.append(Call(name: name, address: address, role: role, mspID: mspID, adminFolder: admin))
        }
        guard !calls.isEmpty else { throw CLIFailure(.usage, "no node named \(node ?? "") in \(profilePath)") }
        return (loaded, calls)
    }

    /// Each organization's admin identity folder in a local network's crypto material, by MSP id.
    static func adminFolders(network folder: String) throws -> [String: String] {
        let crypto = URL(fileURLWithPath: folder).appendingPathComponent("crypto")
        guard let material = try LocalNetworkSetup.existingMaterial(in: crypto) else { return [:] }
        var admins: [String: String] = [:]
        for organization in material.organizations {
            if let admin = organization.identities.first(where: { $0.role == .admin }) {
                admins[organization.mspID] = crypto.appendingPathComponent(admin.path).path
            }
        }
        return admins
    }

    /// The organizations of `profile`, which the nodes' TLS certificates must chain to (read once per command).
    static func membership(of profile: ConnectionProfile) throws -> Membership {
        let organizations = try profile.organizations.map { try Organization.load(mspDirectory: URL(fileURLWithPath: $0)) }
        return try Membership(organizations: organizations, ordererMSPIDs: profile.ordererMSPIDs)
    }

    /// Makes `type` with `body` to `call`'s node as its admin; answers the node's channels.
    static func perform(_ call: Call, membership: Membership, _ type: MessageType, _ body: [UInt8]) async throws -> JoinedChannels {
        let folder = URL(fileURLWithPath: call.adminFolder)
        let credentials = try RPCCredentials.load(
            certificateFile: folder.appendingPathComponent("tls/cert.pem").path, keyFile: folder.appendingPathComponent("tls/key.pem").path)
        guard let endpoint = Endpoint(call.address) else { throw CLIFailure(.usage, "\(call.name): bad address \(call.address)") }
        let client = try await RPCClient.connect(
            host: endpoint.host, port: endpoint.port, security: try RPCTransportSecurity(credentials: credentials),
            serverName: call.name, authorizeServer: membership.tlsAuthorizer(requiring: call.role))
        defer { Task { await client.close() } }
        return try JoinedChannels(canonicalBytes: try await client.call(type, body, timeout: .seconds(30)))
    }

    /// Prints each node's channels (text or `--json`).
    func report(_ results: [(String, JoinedChannels)]) throws {
        if json {
            try JSONOutput.print(results.map { name, joined in
                ["node": JSONValue.string(name), "channels": .array(joined.channels.map { channel in
                    .object(["name": .string(channel.name), "height": .unsigned(channel.height),
                             "genesisHash": .string(Hex.encode(channel.genesisHash)), "status": .string(channel.status)])
                })]
            })
            return
        }
        for (name, joined) in results {
            let list = joined.channels.map { "\($0.name) (height \($0.height), \($0.status))" }
            print("\(name): \(list.isEmpty ? "no channel" : list.joined(separator: ", "))")
        }
    }
}

