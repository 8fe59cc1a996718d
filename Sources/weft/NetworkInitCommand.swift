import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftNode
import WeftCommandLine

/// `weft network init`: write a local network's folder (crypto, node configs, profile) without starting
/// it — for running the nodes elsewhere, e.g. in containers (Network/compose.yaml).
struct NetworkInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a local network's crypto material, node configs and connection profile; start nothing.",
        discussion: """
        Writes what `weft network up` writes the first time, without starting any node: DIR/crypto (kept if \
        DIR/crypto/crypto.json exists, e.g. from `weft crypto generate --out DIR/crypto`), \
        DIR/nodes/<name>/node.yaml, DIR/profile.yaml and DIR/network.json. With --base-port the ports are \
        fixed and consecutive: the orderers' listen ports, then the peers', then the operations ports in \
        the same order (3 orderers and 4 peers from 7050: orderers 7050–7052, peers 7053–7056, operations \
        7057–7063). Start the nodes with `weft network up --dir DIR` or one by one with \
        `weft peer start --config DIR/nodes/<name>/node.yaml`.

        With --hosts FILE the network is the one the hosts file describes (one line per node: \
        `peer0.org1: {host: site-a, address: 10.77.0.21}`; --orgs, --peers and --orderers do not \
        apply) and its crypto material is generated from it: every node listens on every interface of its host (orderer 7050, peer 7051, \
        operations 8443 and 9443, moved up by 100 for a second node of the same role on one host), is \
        dialled at its address, and carries its host name and address in its TLS certificate. Besides \
        the usual folder (for clients and `weft network status`), DIR/hosts/<host>/ holds only what that \
        host needs — its nodes' configs and keys, every organization's CA and TLS CA certificates, the \
        connection profile, host.json (its nodes and the ports to open): copy one folder to each \
        machine and start its nodes there (docs/deployment.md, "Separate hosts"). With --hosts and \
        --base-port, the same network runs on this machine instead: every node on 127.0.0.1 with \
        consecutive ports, as for the compose file, and no host folders.

        Examples:
          weft network init --dir ./weft-net --orgs 2 --peers 2 --orderers 3 --base-port 7050
          weft crypto generate --out ./weft-net/crypto && weft network init --dir ./weft-net
          weft network init --dir ./weft-net --base-port 7050 --json
          weft network init --dir ./weft-net --hosts hosts.yaml
          weft network init --dir ./weft-net --hosts hosts.yaml --base-port 7050    # the same network, on loopback
        """
    )

    @OptionGroup var directory: NetworkDirectoryOption

    @Option(help: "Peer organizations (ignored when the crypto material exists).") var orgs = 2
    @Option(help: "Peers per organization (ignored when the crypto material exists).") var peers = 1
    @Option(help: "Orderers (ignored when the crypto material exists).") var orderers = 3
    @Option(name: .customLong("batch-timeout-ms"), help: "Block cut timeout in milliseconds.") var batchTimeout = 250
    @Option(name: .customLong("base-port"), help: "First of consecutive loopback ports (default: free ports chosen now).")
    var basePort: Int?
    @Option(help: "A hosts file: each node's host and address (one folder per host in DIR/hosts).") var hosts: String?
    @Flag(help: "Print one JSON document instead of text.") var json = false
    @OptionGroup var channelLayout: ChannelLayoutOptions

    /// One node written, as `--json` reports it.
    struct NodeRow: Encodable {
        let role: String
        /// The host it runs on (--hosts only).
        let host: String?
        let name: String
        let listen: String
        let operations: String?
        let config: String
    }

    /// What `--json` prints.
    struct Output: Encodable {
        let dir: String
        let profile: String
        let nodes: [NodeRow]
    }

    func validate() throws {
        guard (1...20).contains(orgs), (1...10).contains(peers), (1...9).contains(orderers), batchTimeout >= 1 else {
            throw ValidationError("use --orgs 1…20, --peers 1…10, --orderers 1…9 and a positive --batch-timeout-ms")
        }
        if let basePort, !(1...65535).contains(basePort) {
            throw ValidationError("--base-port must be a port number, 1…65535")
        }
    }

    func run() throws {
        let folder = directory.url
        guard !FileManager.default.fileExists(atPath: folder.appendingPathComponent("network.json").path) else {
            throw CLIFailure(.usage, "\(directory.dir) already holds a network (network.json); start it with `weft network up --dir \(directory.dir)` or choose another --dir")
        }
        let hostsFile = try hosts.map(Self.loadHosts)
        let placeOnHosts = basePort == nil
        let setup = LocalNetworkSetup(orgs: orgs, peers: peers, orderers: orderers, batchTimeoutMilliseconds: batchTimeout,
                                      hosts: hostsFile, placeOnHosts: placeOnHosts, channels: try channelLayout.specs())
        let ports = basePort.map(LocalNetworkSetup.consecutivePorts(from:)) ?? ProcessLauncher.freePort
        let state = try setup.create(in: folder, ports: ports) { line in
            DescriptorOutput.standardError(line + "\n")
        }
        var rows: [NodeRow] = []
        for node in state.nodes {
            let configuration = try NodeConfiguration.load(path: folder.appendingPathComponent(node.config).path, environment: [:])
            rows.append(NodeRow(role: node.role.rawValue, host: placeOnHosts ? hostsFile?.placement(of: node.name)?.host : nil, name: node.name,
                                listen: configuration.listen,
                                operations: configuration.operations, config: node.config))
        }
        if json {
            try JSONOutput.print(Output(dir: directory.dir, profile: "profile.yaml", nodes: rows))
            return
        }
        for row in rows {
            print(row.role + String(repeating: " ", count: max(1, 8 - row.role.count))
                + (row.host.map { "\($0)  " } ?? "") + "\(row.name)  listen \(row.listen)  operations \(row.operations ?? "none")  \(row.config)")
        }
        if let hostsFile, placeOnHosts {
            print("wrote \(rows.count) node configs and profile.yaml to \(directory.dir), and one folder per host: "
                + hostsFile.hosts.map { "\(directory.dir)/\(HostFolders.folder($0))" }.joined(separator: ", "))
            print("copy each to its host and start its nodes there: weft orderer|peer start --config nodes/<name>/node.yaml")
            return
        }
        print("wrote \(rows.count) node configs and profile.yaml to \(directory.dir); start with: weft network up --dir \(directory.dir)")
    }

    /// The hosts file at `path`, or a usage failure (exit 1) that says what is wrong with it.
    static func loadHosts(_ path: String) throws -> HostsFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIFailure(.usage, "cannot read the hosts file \(path); pass --hosts FILE, a YAML file like: orderer0.orderer: {host: site-a, address: 10.77.0.11}")
        }
        do {
            return try HostsFile(yaml: text, source: path)
        } catch {
            throw CLIFailure(.usage, error.description)
        }
    }
}
