#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftProtocol

/// One folder per host (`weft network init --hosts FILE`): what that host needs and nothing more, so an
/// operator copies `DIR/hosts/<host>/` to the machine and starts its nodes there.
///
/// ```
/// hosts/<host>/host.json                 the host, its address, its nodes and the ports to open
/// hosts/<host>/nodes/<name>/node.yaml    each of its nodes' configuration (paths relative to it)
/// hosts/<host>/crypto/<org>/msp/         every organization's MSP: CA and TLS CA certificates, admins
/// hosts/<host>/crypto/<org>/…/<name>/    each of its nodes' identity: signing and TLS keys and certificates
/// hosts/<host>/profile.yaml              the connection profile (no identity: clients bring their own)
/// ```
///
/// No CA key, no other node's key and no user's key is copied to a host.
public struct HostFolders: Sendable {
    /// What a host's `host.json` says.
    public struct Manifest: Codable, Sendable, Equatable {
        /// One node of the host.
        public struct Node: Codable, Sendable, Equatable {
            public var name: String
            public var role: NodeConfiguration.Role
            /// What the other hosts dial.
            public var address: String
            public var listen: String
            public var operations: String
            /// Relative to the host folder.
            public var config: String
        }

        public var host: String
        public var address: String
        public var nodes: [Node]
        /// TCP ports the host must accept: node ports from every other host and the clients, operations
        /// ports from monitoring.
        public var ports: [Int]
    }

    public let plan: LocalNetworkPlan
    public let hosts: HostsFile
    public let material: CryptoMaterial

    public init(plan: LocalNetworkPlan, hosts: HostsFile, material: CryptoMaterial) {
        self.plan = plan
        self.hosts = hosts
        self.material = material
    }

    /// The folder of `host` inside the network folder.
    public static func folder(_ host: String) -> String { "hosts/\(host)" }

    /// Writes `folder/hosts/<host>/` for every host; returns the manifests in host order.
    @discardableResult
    public func write(to folder: URL) throws -> [Manifest] {
        let materialRoot = URL(fileURLWithPath: material.directory)
        var manifests: [Manifest] = []
        for host in hosts.hosts {
            let hostFolder = folder.appendingPathComponent(Self.folder(host))
            try? FileManager.default.removeItem(at: hostFolder)
            let placements = hosts.placements.filter { $0.host == host }
            let names = Set(placements.map(\.node))
            var subset = plan
            subset.nodes = plan.nodes.filter { names.contains($0.name) }
            subset.profile.identity = nil
            try subset.write(to: hostFolder)
            try FileManager.default.removeItem(at: hostFolder.appendingPathComponent("logs"))

            for organization in material.organizations {
                try copy(organization.mspPath, from: materialRoot, to: hostFolder)
                for identity in organization.identities where names.contains(identity.name) {
                    try copy(identity.path, from: materialRoot, to: hostFolder)
                }
            }
            let nodes = subset.nodes.map { node in
                Manifest.Node(name: node.name, role: node.role,
                              address: hosts.placement(of: node.name)?.endpoint ?? node.listen,
                              listen: node.listen, operations: node.operations ?? "",
                              config: LocalNetworkPlan.nodeFolder(node.name) + "/node.yaml")
            }
            let manifest = Manifest(host: host, address: placements[0].address, nodes: nodes,
                                    ports: placements.flatMap { [$0.port, $0.operationsPort] }.sorted())
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(manifest).write(to: hostFolder.appendingPathComponent("host.json"), options: .atomic)
            manifests.append(manifest)
        }
        return manifests
    }

    /// Copies `relative` (a file or folder of the crypto material) to `hostFolder/crypto/relative`,
    /// keeping each file's mode (keys stay 0600).
    private func copy(_ relative: String, from materialRoot: URL, to hostFolder: URL) throws {
        let source = materialRoot.appendingPathComponent(relative)
        let target = hostFolder.appendingPathComponent("crypto").appendingPathComponent(relative)
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        if fileManager.fileExists(atPath: target.path) { try fileManager.removeItem(at: target) }
        try fileManager.copyItem(at: source, to: target)
        var isDirectory = false
        _ = fileManager.fileExists(atPath: source.path, isDirectory: &isDirectory)
        for path in (isDirectory ? try fileManager.subpathsOfDirectory(atPath: source.path) : []) + [""] {
            let from = path.isEmpty ? source : source.appendingPathComponent(path)
            let to = path.isEmpty ? target : target.appendingPathComponent(path)
            if let mode = try fileManager.attributesOfItem(atPath: from.path)[.posixPermissions] {
                try fileManager.setAttributes([.posixPermissions: mode], ofItemAtPath: to.path)
            }
        }
    }
}
