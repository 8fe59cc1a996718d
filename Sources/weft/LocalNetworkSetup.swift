#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftNode
import WeftCommandLine

/// Writes a local network's folder without starting anything — crypto material, one node YAML per node,
/// the connection profile and `network.json`: what `weft network init` does, and what `weft network up`
/// does the first time before it starts the nodes.
struct LocalNetworkSetup {
    var orgs: Int
    var peers: Int
    var orderers: Int
    var batchTimeoutMilliseconds: Int
    /// The network's description (`weft network init --hosts FILE`): its nodes, and where each runs.
    var hosts: HostsFile? = nil
    /// With `hosts`: place every node on its host (true), or every node on this machine's loopback with
    /// ports from `ports` (false: the same network for a compose file on one machine).
    var placeOnHosts = true
    /// The channels to create (each node joins those of its organization; every orderer all of them).
    var channels = [LocalNetworkPlan.ChannelSpec(name: "mychannel")]

    /// Crypto material already in `folder/crypto` (written by `weft crypto generate --out DIR/crypto`)
    /// is used as it is; otherwise it is generated for `orgs` × `peers` and `orderers`, with one user.
    /// With `hosts`, the material is always generated from the hosts file (every node's certificates
    /// name its host and address), the nodes are placed on their hosts, and `folder/hosts/<host>/`
    /// holds what each host needs (`HostFolders`).
    func create(in folder: URL, ports: () throws -> Int, progress: (String) -> Void) throws -> LocalNetworkState {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cryptoFolder = folder.appendingPathComponent("crypto")
        let material: CryptoMaterial
        if let hosts {
            guard try Self.existingMaterial(in: cryptoFolder) == nil else {
                throw CLIFailure(.usage, "\(cryptoFolder.path) already holds crypto material; with --hosts it is generated from the hosts file (every node's certificates name its host and address): remove it or choose another --dir")
            }
            progress("generating crypto material for \(hosts.placements.count) nodes on \(hosts.hosts.count) hosts in \(cryptoFolder.path)")
            material = try CryptoMaterialGenerator.generate(hosts.cryptoSpecification(), into: cryptoFolder)
        } else if let existing = try Self.existingMaterial(in: cryptoFolder) {
            progress("using the crypto material in \(cryptoFolder.path) (\(existing.organizations.count) organizations)")
            material = existing
        } else {
            progress("generating crypto material for \(orgs) organizations and \(orderers) orderers in \(cryptoFolder.path)")
            material = try CryptoMaterialGenerator.generate(
                .standard(organizations: orgs, peers: peers, orderers: orderers, users: 1), into: cryptoFolder)
        }
        let plan = if let hosts, placeOnHosts {
            try LocalNetworkPlan.make(material: material, hosts: hosts, channels: channels, batchTimeoutMilliseconds: batchTimeoutMilliseconds)
        } else {
            try LocalNetworkPlan.make(material: material, channels: channels, batchTimeoutMilliseconds: batchTimeoutMilliseconds, ports: ports)
        }
        try plan.write(to: folder)
        if let hosts, placeOnHosts {
            try HostFolders(plan: plan, hosts: hosts, material: material).write(to: folder)
        }
        let state = LocalNetworkState(nodes: plan.nodes.map { node in
            .init(name: node.name, role: node.role, config: LocalNetworkPlan.nodeFolder(node.name) + "/node.yaml",
                  log: "logs/\(node.name).log")
        })
        try state.save(to: folder)
        return state
    }

    /// The material `crypto.json` in `cryptoFolder` describes, or nil when there is none. Its paths are
    /// relative to `cryptoFolder`, wherever the material was generated (a folder copied to another
    /// machine or mounted into a container at another path).
    static func existingMaterial(in cryptoFolder: URL) throws -> CryptoMaterial? {
        let manifest = cryptoFolder.appendingPathComponent("crypto.json")
        guard FileManager.default.fileExists(atPath: manifest.path) else { return nil }
        do {
            var material = try JSONDecoder().decode(CryptoMaterial.self, from: Data(contentsOf: manifest))
            material.directory = cryptoFolder.path
            return material
        } catch {
            throw CLIFailure(.usage, "\(manifest.path) is not a crypto description written by `weft crypto generate`: \(error)")
        }
    }

    /// Consecutive ports from `base`: the fixed layout of `weft network init --base-port` (listen addresses
    /// of the orderers, then of the peers, then the operations endpoints in the same order).
    static func consecutivePorts(from base: Int) -> () throws -> Int {
        var next = base
        return {
            guard next <= 65535 else { throw CLIFailure(.usage, "--base-port \(base) leaves too few ports below 65536 for this network") }
            defer { next += 1 }
            return next
        }
    }
}
