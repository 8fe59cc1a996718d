#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftClient
import WeftCore
import WeftNode
import WeftCommandLine

/// A configuration update of a local network's channel made, signed and submitted in one go, as the
/// `weft network add-org|add-orderer|remove-orderer` commands do: the edits applied to the
/// configuration in force, signed by the admin of every member organization the network has material
/// for, kept as `channels/<channel>-<label>.update`, submitted, and waited for until it is in force.
struct LocalNetworkUpdate {
    let directory: NetworkDirectoryOption
    let channel: String
    let timeout: Int

    /// The client options of the network's profile, for `channel`.
    func client() throws -> ClientOptions { try ClientOptions.parse(["--dir", directory.dir, "--channel", channel]) }

    /// Applies `edits`, collects the signatures, submits; returns the update's block number once valid.
    func submit(_ edits: [ChannelConfigEdit], label: String, progress: (String) -> Void) async throws -> UInt64 {
        let client = try client()
        let current = try await client.currentConfiguration()
        var update: ConfigTransaction
        do { update = try ChannelConfigEdit.update(of: try current.config(), by: edits) } catch let failure as ChannelConfigEdit.Failure {
            throw CLIFailure(.usage, failure.description)
        }
        let admins = try ChannelAdminTarget.adminFolders(network: directory.dir)
        for member in try current.config().organizations {
            guard let admin = admins[member.mspID] else { continue }
            try update.sign(by: try SigningIdentity.load(from: URL(fileURLWithPath: admin)))
            progress("signed by \(member.mspID)'s admin")
        }
        try ConfigUpdateFile.write(update, to: directory.url.appendingPathComponent("channels/\(channel)-\(label).update").path)
        let gateway = try client.gateway()
        defer { Task { await gateway.close() } }
        let outcome: (blockNumber: UInt64, code: ValidationCode)
        do { outcome = try await gateway.submitConfigurationUpdate(update.canonicalBytes, txID: update.txID, timeout: .seconds(timeout)) } catch {
            throw client.failure(error)
        }
        guard outcome.code == .valid else {
            throw CLIFailure(.transactionInvalid, "the update (\(label)) was ordered but is \(outcome.code.name); run the command again")
        }
        return outcome.blockNumber
    }

    /// The channel's genesis block as the network keeps it (`channels/<channel>.block`).
    func genesisBlock() throws -> Data {
        guard let genesis = FileManager.default.contents(atPath: directory.url.appendingPathComponent("channels/\(channel).block").path) else {
            throw CLIFailure(.usage, "\(directory.dir)/channels/\(channel).block is missing: the channel's genesis block is needed to join new nodes")
        }
        return genesis
    }

    /// What the `weft network add-*|remove-*` commands start from: the network's recorded nodes, its
    /// profile (and where it is), and the update maker for the channel named (or the first).
    static func open(_ directory: NetworkDirectoryOption, channel named: String?, timeout: Int) throws
        -> (state: LocalNetworkState, profilePath: String, profile: ConnectionProfile, changes: LocalNetworkUpdate) {
        let state = try directory.state()
        let profilePath = directory.url.appendingPathComponent("profile.yaml").path
        let profile = try ConnectionProfile.load(path: profilePath)
        let changes = LocalNetworkUpdate(directory: directory, channel: try channel(named, in: profile), timeout: timeout)
        return (state, profilePath, profile, changes)
    }

    /// The channel a command names, or the network's first; a usage error for one it does not have.
    static func channel(_ named: String?, in profile: ConnectionProfile) throws -> String {
        let channel = named ?? profile.channels?.first ?? profile.channel
        guard profile.channels?.contains(channel) ?? (channel == profile.channel) else {
            throw CLIFailure(.usage, "--channel \(channel): the network has no such channel")
        }
        return channel
    }
}
