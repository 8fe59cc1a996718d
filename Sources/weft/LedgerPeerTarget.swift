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

/// The peer a `weft ledger` admin command calls over its TLS RPC, and as whom (docs/CLI.md): `--dir`
/// of a local network (as an admin of the peer's organization, from its crypto material), or
/// `--profile` and `--identity` of an admin (`WEFT_PROFILE`, `WEFT_IDENTITY`); `--peer` picks the
/// peer (default: the first peer of the admin's organization).
struct LedgerPeerTarget: ParsableArguments {
    @Option(help: "A local network made by `weft network up` (calls its peer as an admin of the peer's organization).")
    var dir: String?
    @Option(help: "A connection profile YAML (or WEFT_PROFILE); with --identity.") var profile: String?
    @Option(help: "An admin identity folder of the peer's organization: cert.pem, key.pem, identity.json, tls/ (or WEFT_IDENTITY).")
    var identity: String?
    @Option(help: "The peer to call (default: the first peer of the admin's organization).") var peer: String?

    /// Whether any option of this group was given (then the command calls a peer, not a file).
    var isGiven: Bool { dir != nil || profile != nil || identity != nil || peer != nil }

    /// An open connection to the chosen peer.
    struct Connection {
        let client: RPCClient
        let peer: String
        let address: String
        let channel: String

        /// Makes `type` on the channel with `body`; refusals and failures become CLI failures that
        /// name the peer.
        func call(_ type: MessageType, _ body: [UInt8]) async throws -> [UInt8] {
            do {
                return try await client.call(type, ChannelRequest(channel: channel, body: body).canonicalBytes, timeout: .seconds(600))
            } catch {
                throw failure(error)
            }
        }

        /// The CLI failure for an RPC error from the peer: unreachable or refused the caller 3, a
        /// refused request 1 (the peer's reason), anything else 4.
        func failure(_ error: RPCError) -> CLIFailure {
            let text = "\(peer) (\(address)): \(error.message)"
            switch error.code {
            case .unavailable, .permissionDenied, .unauthenticated, .deadlineExceeded: return CLIFailure(.unreachable, text)
            case .badRequest: return CLIFailure(.usage, text)
            default: return CLIFailure(.other, text)
            }
        }
    }

    /// Connects to the chosen peer for `channel` (default: the profile's first channel).
    func connect(channel: String?) async throws -> Connection {
        let environment = ProcessInfo.processInfo.environment
        let folder = dir ?? (profile == nil && environment["WEFT_PROFILE"] == nil
            && FileManager.default.fileExists(atPath: "weft-net/profile.yaml") ? "weft-net" : nil)
        guard let profilePath = profile ?? environment["WEFT_PROFILE"] ?? folder.map({ "\($0)/profile.yaml" }) else {
            throw CLIFailure(.usage, "no peer given: pass --file LEDGER for a local ledger file, or --dir DIR (a local network) or --profile FILE --identity ADMIN to call a peer")
        }
        let loaded: ConnectionProfile
        do { loaded = try ConnectionProfile.load(path: profilePath) } catch {
            throw CLIFailure(.usage, "\(error) — pass --dir DIR of a local network, or --profile FILE --identity ADMIN")
        }
        let admins = try folder.map(ChannelAdminTarget.adminFolders) ?? [:]
        let identityPath = identity ?? environment["WEFT_IDENTITY"]
        let chosen: ConnectionProfile.Peer?
        if let peer {
            chosen = loaded.peers.first { $0.name == peer }
            guard chosen != nil else {
                throw CLIFailure(.usage, "--peer \(peer): no such peer in \(profilePath) (peers: \(loaded.peers.map(\.name).joined(separator: ", ")))")
            }
        } else if let identityPath {
            let mspID = try SigningIdentity.load(from: URL(fileURLWithPath: identityPath)).mspID
            chosen = loaded.peers.first { $0.mspID == mspID } ?? loaded.peers.first
        } else {
            chosen = loaded.peers.first
        }
        guard let target = chosen else { throw CLIFailure(.usage, "\(profilePath) lists no peer") }
        guard let adminFolder = identityPath ?? admins[target.mspID] else {
            throw CLIFailure(.usage, "no admin identity for \(target.name) (\(target.mspID)): pass --identity ADMIN_FOLDER")
        }
        guard let endpoint = Endpoint(target.address) else { throw CLIFailure(.usage, "\(target.name): bad address \(target.address)") }
        let membership = try ChannelAdminTarget.membership(of: loaded)
        let admin = URL(fileURLWithPath: adminFolder)
        let security: RPCTransportSecurity
        do {
            security = try RPCTransportSecurity(credentials: try RPCCredentials.load(
                certificateFile: admin.appendingPathComponent("tls/cert.pem").path, keyFile: admin.appendingPathComponent("tls/key.pem").path))
        } catch {
            throw CLIFailure(.usage, "\(adminFolder): \(error) — pass --identity with an admin identity folder (cert.pem, key.pem, tls/)")
        }
        do {
            let client = try await RPCClient.connect(host: endpoint.host, port: endpoint.port, security: security,
                                                     serverName: target.name, authorizeServer: membership.tlsAuthorizer(requiring: .peer))
            return Connection(client: client, peer: target.name, address: target.address, channel: channel ?? loaded.channel)
        } catch {
            let hint = folder.map { " — is the network up? Try: weft network status --dir \($0)" } ?? ""
            throw CLIFailure(.unreachable, "\(target.name) (\(target.address)): \(error.message)\(hint)")
        }
    }

    /// Refuses `--file` together with the options of a peer call.
    func requireNoPeer(withFile file: String) throws {
        if isGiven {
            throw CLIFailure(.usage, "--file \(file) works on a local ledger file; --dir, --profile, --identity and --peer call a peer: give one or the other")
        }
    }
}
