#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftProtocol
import WeftCore
import WeftYAML

/// The files of a local network in one folder (`weft network up`): crypto material, one node YAML per
/// node, a connection profile, and each node's data and log. Paths inside are relative to the folder,
/// so the folder can be moved.
///
/// ```
/// DIR/crypto/…                 weft crypto generate output
/// DIR/nodes/<name>/node.yaml   each node's configuration; its data in DIR/nodes/<name>/data
/// DIR/logs/<name>.log          each node's log
/// DIR/profile.yaml             the connection profile (clients use it with --dir DIR)
/// DIR/network.json             the nodes and the process ids of the running ones
/// ```
public struct LocalNetworkPlan: Sendable {
    /// A channel of the network: its name and the peer organizations (by name, e.g. `Org1`) that
    /// belong to it; nil: every peer organization. Every orderer is a consenter of every channel.
    public struct ChannelSpec: Sendable, Equatable {
        public var name: String
        public var organizations: [String]?

        public init(name: String, organizations: [String]? = nil) {
            self.name = name
            self.organizations = organizations
        }
    }

    /// The first channel (the default of every client command).
    public var channel: ChannelConfiguration
    public var nodes: [NodeConfiguration]
    public var profile: ConnectionProfile
    /// Each channel's genesis block, in the order of the specs.
    public var genesisBlocks: [(name: String, block: Block)]
    /// The nodes that join each channel, by channel name.
    public var members: [String: Set<String>]

    /// Plans a network over generated crypto material (relative to `cryptoFolder`, itself relative to the
    /// network folder), giving each node a port from `ports`.
    public static func make(
        material: CryptoMaterial, cryptoFolder: String = "crypto", channels: [ChannelSpec] = [ChannelSpec(name: "mychannel")],
        batchTimeoutMilliseconds: Int = 250, ports: () throws -> Int
    ) throws -> LocalNetworkPlan {
        // Called in the order of the fixed layout (`weft network init --base-port`): every listen
        // address, orderers then peers, then every operations endpoint in the same order.
        try make(material: material, cryptoFolder: cryptoFolder, channels: channels,
                 batchTimeoutMilliseconds: batchTimeoutMilliseconds,
                 // A faster election than the 1–2 s default: loopback round trips are sub-millisecond.
                 raft: .init(tickMilliseconds: 100, electionTicks: 6),
                 address: { _ in "127.0.0.1:\(try ports())" }, listen: { _, address in address },
                 operations: { _ in "127.0.0.1:\(try ports())" })
    }

    /// Plans a network whose nodes run on the hosts `hosts` names: each node is dialled at its host's
    /// address, listens on every interface of its host, and serves its operations endpoint there too.
    /// Raft keeps the default 1–2 s election timeout, which tolerates wide-area round trips.
    public static func make(
        material: CryptoMaterial, hosts: HostsFile, cryptoFolder: String = "crypto", channels: [ChannelSpec] = [ChannelSpec(name: "mychannel")],
        batchTimeoutMilliseconds: Int = 250
    ) throws -> LocalNetworkPlan {
        func placement(_ node: String) throws -> HostsFile.Placement {
            guard let placement = hosts.placement(of: node) else {
                throw ConfigurationError.invalid(path: "hosts", reason: "\(node) is in the crypto material but has no host")
            }
            return placement
        }
        func everywhere(_ address: String) -> String { address.contains(":") ? "::" : "0.0.0.0" }
        return try make(material: material, cryptoFolder: cryptoFolder, channels: channels,
                        batchTimeoutMilliseconds: batchTimeoutMilliseconds,
                        raft: .init(tickMilliseconds: 100, electionTicks: 10),
                        address: { try placement($0).endpoint },
                        listen: { node, _ in
                            let place = try placement(node)
                            return Endpoint(host: everywhere(place.address), port: place.port).description
                        },
                        operations: { node in
                            let place = try placement(node)
                            return Endpoint(host: everywhere(place.address), port: place.operationsPort).description
                        })
    }

    /// The plan, with each node's dialled address, listen address and operations endpoint from the closures.
    private static func make(
        material: CryptoMaterial, cryptoFolder: String, channels specs: [ChannelSpec], batchTimeoutMilliseconds: Int,
        raft: ChannelConfiguration.RaftTiming,
        address: (_ node: String) throws -> String, listen: (_ node: String, _ address: String) throws -> String,
        operations: (_ node: String) throws -> String
    ) throws -> LocalNetworkPlan {
        let peerOrganizations = material.organizations.filter { $0.identities.contains { $0.role == .peer } }
        let ordererOrganizations = material.organizations.filter { $0.identities.contains { $0.role == .orderer } }
        func path(_ relative: String) -> String { "\(cryptoFolder)/\(relative)" }

        var orderers: [ChannelConfiguration.Orderer] = []
        var peers: [ConnectionProfile.Peer] = []
        var identities: [String: (GeneratedOrganization, GeneratedIdentity)] = [:]
        for organization in ordererOrganizations {
            for identity in organization.identities where identity.role == .orderer {
                // Their keys are pinned by the certificates the genesis block carries (`channelConfig`).
                orderers.append(.init(
                    ConnectionProfile.Orderer(name: identity.name, address: try address(identity.name), mspID: organization.mspID),
                    raftID: UInt64(orderers.count + 1)))
                identities[identity.name] = (organization, identity)
            }
        }
        for organization in peerOrganizations {
            for identity in organization.identities where identity.role == .peer {
                peers.append(.init(name: identity.name, address: try address(identity.name), mspID: organization.mspID))
                identities[identity.name] = (organization, identity)
            }
        }
        let policy = peerOrganizations.count == 1
            ? "'\(peerOrganizations[0].name).peer'"
            : "AND(" + peerOrganizations.map { "'\($0.name).peer'" }.joined(separator: ",") + ")"
        let channelID = specs.first?.name ?? "mychannel"
        let channel = ChannelConfiguration(
            id: channelID, organizations: material.organizations.map { path($0.mspPath) },
            orderers: orderers, peers: peers,
            chaincodes: BuiltinChaincodes.names.map { .init(name: $0, policy: policy) },
            batch: .init(timeoutMilliseconds: batchTimeoutMilliseconds),
            raft: raft)

        var nodes: [NodeConfiguration] = []
        /// Each node's operations endpoint as a client dials it: the node's host, the endpoint's port.
        var dialledOperations: [String: String] = [:]
        func operationsEndpoint(_ name: String, dialled address: String) throws -> String {
            let endpoint = try operations(name)
            if let host = Endpoint(address)?.host, let port = Endpoint(endpoint)?.port {
                dialledOperations[name] = Endpoint(host: host, port: port).description
            }
            return endpoint
        }
        for orderer in orderers {
            guard let (organization, identity) = identities[orderer.name] else { continue }
            nodes.append(NodeConfiguration(
                role: .orderer, name: orderer.name, mspID: organization.mspID, identity: path(identity.path),
                listen: try listen(orderer.name, orderer.address),
                operations: try operationsEndpoint(orderer.name, dialled: orderer.address), operationsTLS: true,
                dataDir: "data", logLevel: "info"))
        }
        for peer in peers {
            guard let (organization, identity) = identities[peer.name] else { continue }
            nodes.append(NodeConfiguration(
                role: .peer, name: peer.name, mspID: organization.mspID, identity: path(identity.path),
                listen: try listen(peer.name, peer.address),
                operations: try operationsEndpoint(peer.name, dialled: peer.address), operationsTLS: true,
                dataDir: "data", logLevel: "info"))
        }
        let user = peerOrganizations.first?.identities.first { $0.role == .client }
        let profile = ConnectionProfile(
            channel: channelID, organizations: channel.organizations,
            peers: peers.map { peer in
                var listed = peer
                listed.operations = dialledOperations[peer.name]
                return listed
            },
            orderers: orderers.map { orderer in
                var listed = orderer.listing
                listed.operations = dialledOperations[orderer.name]
                return listed
            },
            identity: user.map { path($0.path) })
        var genesisBlocks: [(name: String, block: Block)] = []
        var members: [String: Set<String>] = [:]
        var channelOrganizations: [String: [String]] = [:]
        for spec in specs {
            let included = peerOrganizations.filter { spec.organizations?.contains($0.name) ?? true }
            if let named = spec.organizations, let unknown = named.first(where: { name in !peerOrganizations.contains { $0.name == name } }) {
                throw ConfigurationError.invalid(path: "channels", reason: "channel \(spec.name) names \(unknown), which is not a peer organization of this network (\(peerOrganizations.map(\.name).joined(separator: ", ")))")
            }
            let config = try channelConfig(
                spec.name, peerOrganizations: included, ordererOrganizations: ordererOrganizations, material: material,
                orderers: orderers, peers: peers, template: channel)
            genesisBlocks.append((spec.name, try GenesisBlock.make(config: config)))
            let mspIDs = Set(included.map(\.mspID))
            channelOrganizations[spec.name] = included.map(\.mspID)
            members[spec.name] = Set(orderers.map(\.name) + peers.filter { mspIDs.contains($0.mspID) }.map(\.name))
        }
        var listed = profile
        listed.channels = specs.map(\.name)
        listed.channelOrganizations = channelOrganizations
        return LocalNetworkPlan(channel: channel, nodes: nodes, profile: listed, genesisBlocks: genesisBlocks, members: members)
    }

    /// The configuration of a new channel `name` of the network `profile` describes, over the peer
    /// organizations named in `organizations` (nil: all) and every orderer (`weft channel create`):
    /// consenters and anchor peers at the profile's addresses, certificates from `material`. Raft
    /// elects after `electionTicks` ticks of 100 ms without a leader (10: Raft's usual 1–2 s, which
    /// tolerates the round trips between hosts; `weft network up` gives its loopback channels 6).
    public static func channelConfig(
        _ name: String, organizations: [String]?, material: CryptoMaterial, profile: ConnectionProfile,
        batchTimeoutMilliseconds: Int = 250, electionTicks: Int = 10
    ) throws -> ChannelConfig {
        let peerOrganizations = material.organizations.filter { $0.identities.contains { $0.role == .peer } }
        if let organizations, let unknown = organizations.first(where: { name in !peerOrganizations.contains { $0.name == name } }) {
            throw ConfigurationError.invalid(path: "--orgs", reason: "\(unknown) is not a peer organization of this network (\(peerOrganizations.map(\.name).joined(separator: ", ")))")
        }
        let orderers = profile.orderers.enumerated().map { index, orderer in
            ChannelConfiguration.Orderer(orderer, raftID: UInt64(index + 1))
        }
        let template = ChannelConfiguration(id: name, organizations: [], orderers: orderers, peers: [], chaincodes: [],
                                            batch: .init(timeoutMilliseconds: batchTimeoutMilliseconds), raft: .init(tickMilliseconds: 100, electionTicks: electionTicks))
        return try channelConfig(
            name, peerOrganizations: peerOrganizations.filter { organizations?.contains($0.name) ?? true },
            ordererOrganizations: material.organizations.filter { $0.identities.contains { $0.role == .orderer } },
            material: material, orderers: orderers, peers: profile.peers, template: template)
    }

    /// The configuration of channel `name` over `peerOrganizations` and every orderer.
    private static func channelConfig(
        _ name: String, peerOrganizations: [GeneratedOrganization], ordererOrganizations: [GeneratedOrganization],
        material: CryptoMaterial, orderers: [ChannelConfiguration.Orderer], peers: [ConnectionProfile.Peer],
        template: ChannelConfiguration
    ) throws -> ChannelConfig {
        let root = URL(fileURLWithPath: material.directory)
        var organizations: [ChannelConfig.Organization] = []
        for organization in ordererOrganizations + peerOrganizations {
            let isOrderer = ordererOrganizations.contains(organization)
            let anchors = isOrderer ? [] : peers.filter { $0.mspID == organization.mspID }.map { ChannelConfig.AnchorPeer(name: $0.name, address: $0.address) }
            organizations.append(try ChannelConfigBuilder.organization(
                mspFolder: root.appendingPathComponent(organization.mspPath), isOrderer: isOrderer, anchorPeers: anchors))
        }
        var consenters: [ChannelConfig.Consenter] = []
        for orderer in orderers {
            guard let identity = material.organizations.lazy.flatMap(\.identities).first(where: { $0.name == orderer.name }) else { continue }
            consenters.append(try ChannelConfigBuilder.consenter(
                name: orderer.name, identityFolder: root.appendingPathComponent(identity.path), raftID: orderer.raftID, address: orderer.address))
        }
        let policy = peerOrganizations.count == 1
            ? "'\(peerOrganizations[0].name).peer'"
            : "AND(" + peerOrganizations.map { "'\($0.name).peer'" }.joined(separator: ",") + ")"
        return ChannelConfig(
            name: name, organizations: organizations, consenters: consenters,
            chaincodes: BuiltinChaincodes.names.map { .init(name: $0, policy: policy) },
            batch: .init(timeoutMilliseconds: UInt32(clamping: template.batch?.timeoutMilliseconds ?? 250)),
            raft: .init(tickMilliseconds: UInt32(clamping: template.raft?.tickMilliseconds ?? 100),
                        electionTicks: UInt32(clamping: template.raft?.electionTicks ?? 10)))
    }

    /// The folder of `node` inside the network folder.
    public static func nodeFolder(_ name: String) -> String { "nodes/\(name)" }

    /// Writes every node's `node.yaml` (paths relative to the node's folder) and `profile.yaml`.
    public func write(to folder: URL) throws {
        let fileManager = FileManager.default
        for node in nodes {
            let nodeFolder = folder.appendingPathComponent(Self.nodeFolder(node.name))
            try fileManager.createDirectory(at: nodeFolder, withIntermediateDirectories: true)
            var relative = node
            relative.identity = "../../" + node.identity
            try relative.yaml().write(to: nodeFolder.appendingPathComponent("node.yaml"), atomically: true, encoding: .utf8)
            // Joined beforehand: the `--dir` shortcut of `weft channel join` (the node opens them at start).
            for (name, block) in genesisBlocks where members[name]?.contains(node.name) ?? false {
                try ChannelFolder.writeGenesis(block.canonicalBytes, in: nodeFolder.appendingPathComponent(node.dataDir).appendingPathComponent("channels/\(name)"))
            }
        }
        let channelsFolder = folder.appendingPathComponent("channels")
        try fileManager.createDirectory(at: channelsFolder, withIntermediateDirectories: true)
        for (name, block) in genesisBlocks {
            try Data(block.canonicalBytes).write(to: channelsFolder.appendingPathComponent("\(name).block"))
        }
        try fileManager.createDirectory(at: folder.appendingPathComponent("logs"), withIntermediateDirectories: true)
        try profile.yaml().write(to: folder.appendingPathComponent("profile.yaml"), atomically: true, encoding: .utf8)
    }
}
