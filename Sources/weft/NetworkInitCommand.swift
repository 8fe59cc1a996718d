import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftNode

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

        Examples:
          weft network init --dir ./weft-net --orgs 2 --peers 2 --orderers 3 --base-port 7050
          weft crypto generate --out ./weft-net/crypto && weft network init --dir ./weft-net
          weft network init --dir ./weft-net --base-port 7050 --json
        """
    )

    @OptionGroup var directory: NetworkDirectoryOption

    @Option(help: "Peer organizations (ignored when the crypto material exists).") var orgs = 2
    @Option(help: "Peers per organization (ignored when the crypto material exists).") var peers = 1
    @Option(help: "Orderers (ignored when the crypto material exists).") var orderers = 3
    @Option(name: .customLong("batch-timeout-ms"), help: "Block cut timeout in milliseconds.") var batchTimeout = 250
    @Option(name: .customLong("base-port"), help: "First of consecutive loopback ports (default: free ports chosen now).")
    var basePort: Int?
    @Flag(help: "Print one JSON document instead of text.") var json = false

    /// One node written, as `--json` reports it.
    struct NodeRow: Encodable {
        let role: String
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
        let setup = LocalNetworkSetup(orgs: orgs, peers: peers, orderers: orderers, batchTimeoutMilliseconds: batchTimeout)
        let ports = basePort.map(LocalNetworkSetup.consecutivePorts(from:)) ?? ProcessLauncher.freePort
        let state = try setup.create(in: folder, ports: ports) { line in
            DescriptorOutput.standardError(line + "\n")
        }
        var rows: [NodeRow] = []
        for node in state.nodes {
            let configuration = try NodeConfiguration.load(path: folder.appendingPathComponent(node.config).path, environment: [:])
            rows.append(NodeRow(role: node.role.rawValue, name: node.name, listen: configuration.listen,
                                operations: configuration.operations, config: node.config))
        }
        if json {
            try JSONOutput.print(Output(dir: directory.dir, profile: "profile.yaml", nodes: rows))
            return
        }
        for row in rows {
            print(row.role + String(repeating: " ", count: max(1, 8 - row.role.count))
                + "\(row.name)  listen \(row.listen)  operations \(row.operations ?? "none")  \(row.config)")
        }
        print("wrote \(rows.count) node configs and profile.yaml to \(directory.dir); start with: weft network up --dir \(directory.dir)")
    }
}
