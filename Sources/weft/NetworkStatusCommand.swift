import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import Ledger
import WeftClient
import WeftCore
import WeftNode
import WeftCommandLine

/// `weft network status`: every node's process, height and hashes; a commit-hash mismatch is a fork.
struct NetworkStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each node's process id, height and hashes, and whether the peers agree.",
        discussion: """
        Peers at the same height must have the same block hash and commit hash; otherwise the status
        reports a fork. Exits 3 when a node cannot be reached.

        Example:
          weft network status --dir ./weft-net --json
        """
    )

    @OptionGroup var directory: NetworkDirectoryOption
    @Option(help: "Only this channel (default: every channel of the profile).") var channel: String?
    @Flag(help: "Print one JSON document instead of text.") var json = false

    struct PeerRow: Encodable {
        var name: String
        var pid: Int32?
        var height: UInt64?
        var currentHash: String?
        var commitHash: String?
        var error: String?
    }

    struct OrdererRow: Encodable {
        var name: String
        var pid: Int32?
        var height: UInt64?
        var leader: Bool?
        var term: UInt64?
        var error: String?
    }

    /// One channel's nodes and fork check.
    struct ChannelOutput: Encodable {
        var channel: String
        var peers: [PeerRow]
        var orderers: [OrdererRow]
        var fork: Bool
    }

    /// The first channel's report at the top level (as before channels), every channel's in `channels`.
    struct Output: Encodable {
        var channel: String
        var peers: [PeerRow]
        var orderers: [OrdererRow]
        var fork: Bool
        var channels: [ChannelOutput]
    }

    func run() async throws {
        let state = try directory.state()
        let profile = try ConnectionProfile.load(path: directory.url.appendingPathComponent("profile.yaml").path)
        guard let identityPath = profile.identity else { throw CLIFailure(.usage, "profile.yaml names no client identity") }
        let names = channel.map { [$0] } ?? profile.channels ?? [profile.channel]
        var reports: [ChannelOutput] = []
        for name in names {
            var scoped = profile
            scoped.channel = name
            let gateway = try Gateway(profile: scoped, identityFolder: identityPath)
            reports.append(try await status(of: scoped, gateway: gateway, state: state))
            await gateway.close()
        }
        let first = reports[0]
        let output = Output(channel: first.channel, peers: first.peers, orderers: first.orderers, fork: first.fork, channels: reports)
        if json {
            try JSONOutput.print(output)
        } else {
            for report in reports { printText(report, named: reports.count > 1) }
        }
        if reports.contains(where: { $0.peers.contains { $0.error != nil } || $0.orderers.contains { $0.error != nil } }) {
            throw CLIFailure(.unreachable, "some nodes could not be reached — start them with `weft network up --dir \(directory.dir)`")
        }
    }

    /// The channel `profile.channel`: its peers' heights and hashes, every orderer's status, the fork check.
    private func status(of profile: ConnectionProfile, gateway: Gateway, state: LocalNetworkState) async throws -> ChannelOutput {
        func pid(_ name: String) -> Int32? {
            state.nodes.first { $0.name == name }?.pid.flatMap { ProcessLauncher.isAlive($0) ? $0 : nil }
        }
        var peers: [PeerRow] = []
        for peer in profile.peers(of: profile.channel) {
            do {
                guard case .info(let info) = try await gateway.query(.info, peer: peer.name) else { throw CLIFailure(.other, "unexpected answer") }
                peers.append(PeerRow(name: peer.name, pid: pid(peer.name), height: info.height,
                                     currentHash: Hex.encode(info.currentBlockHash), commitHash: Hex.encode(info.commitHash)))
            } catch {
                peers.append(PeerRow(name: peer.name, pid: pid(peer.name), error: "\(error)"))
            }
        }
        var orderers: [OrdererRow] = []
        for orderer in profile.orderers {
            do {
                let status = try await gateway.ordererStatus(orderer.name)
                orderers.append(OrdererRow(name: orderer.name, pid: pid(orderer.name), height: status.height,
                                           leader: status.isLeader, term: status.term))
            } catch {
                orderers.append(OrdererRow(name: orderer.name, pid: pid(orderer.name), error: "\(error)"))
            }
        }
        return ChannelOutput(channel: profile.channel, peers: peers, orderers: orderers, fork: try await detectFork(peers, gateway))
    }

    /// Peers disagree when the block hash or commit hash of their common height differs.
    private func detectFork(_ peers: [PeerRow], _ gateway: Gateway) async throws -> Bool {
        let reachable = peers.filter { $0.height != nil }
        guard let common = reachable.compactMap(\.height).min(), common > 0 else { return false }
        var seen: Set<[UInt8]> = []
        for peer in reachable {
            guard case .block(let block?) = try? await gateway.query(.block(common - 1), peer: peer.name) else { continue }
            seen.insert(block.header.hash + block.metadata.commitHash)
        }
        return seen.count > 1
    }

    private func printText(_ output: ChannelOutput, named: Bool) {
        if named { print("channel \(output.channel)") }
        for peer in output.peers {
            let pid = peer.pid.map(String.init) ?? "-"
            if let error = peer.error {
                print("peer    \(peer.name)  pid \(pid)  UNREACHABLE: \(error)")
            } else {
                print("peer    \(peer.name)  pid \(pid)  height \(peer.height ?? 0)  block \(peer.currentHash?.prefix(16) ?? "")…  commit \(peer.commitHash?.prefix(16) ?? "")…")
            }
        }
        for orderer in output.orderers {
            let pid = orderer.pid.map(String.init) ?? "-"
            if let error = orderer.error {
                print("orderer \(orderer.name)  pid \(pid)  UNREACHABLE: \(error)")
            } else {
                print("orderer \(orderer.name)  pid \(pid)  height \(orderer.height ?? 0)  term \(orderer.term ?? 0)\(orderer.leader == true ? "  LEADER" : "")")
            }
        }
        print(output.fork ? "FORK: peers at the same height disagree on block or commit hash" : "no fork: peers agree")
    }
}
