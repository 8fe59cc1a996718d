#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftYAML

/// Where a client finds a network: the channel, its organizations (to check the nodes it talks to), and
/// the endpoints of its peers and orderers. `weft network up` writes one as `profile.yaml`.
public struct ConnectionProfile: Codable, Sendable, Equatable {
    public struct Peer: Codable, Sendable, Equatable {
        public var name: String
        public var address: String
        public var mspID: String
        /// Its operations endpoint (`host:port`), for `weft network top`; optional.
        public var operations: String?

        public init(name: String, address: String, mspID: String) {
            self.name = name
            self.address = address
            self.mspID = mspID
        }
    }

    public struct Orderer: Codable, Sendable, Equatable {
        public var name: String
        public var address: String
        /// Its organization: the orderers' organizations are the only ones whose TLS certificates
        /// may carry the orderer role.
        public var mspID: String?
        /// Its operations endpoint (`host:port`), for `weft network top`; optional.
        public var operations: String?

        public init(name: String, address: String, mspID: String? = nil) {
            self.name = name
            self.address = address
            self.mspID = mspID
        }
    }

    /// The default channel of client commands (`--channel` chooses another).
    public var channel: String
    /// Every channel of the network, when the profile lists them.
    public var channels: [String]?
    /// The MSP ids of each channel's peer organizations, when the profile lists them (a channel not
    /// listed: every organization's peers).
    public var channelOrganizations: [String: [String]]?
    /// MSP folders of the channel's organizations; their `tlscacerts/` hold the TLS CA certificates
    /// that nodes' TLS certificates must chain to.
    public var organizations: [String]
    public var peers: [Peer]
    public var orderers: [Orderer]
    /// The identity folder clients use when none is given (a user of the first organization).
    public var identity: String?

    public init(channel: String, organizations: [String], peers: [Peer], orderers: [Orderer], identity: String? = nil) {
        self.channel = channel
        self.organizations = organizations
        self.peers = peers
        self.orderers = orderers
        self.identity = identity
    }

    /// The peers of `channel` (the profile's default channel when nil).
    public func peers(of channel: String? = nil) -> [Peer] {
        guard let mspIDs = channelOrganizations?[channel ?? self.channel] else { return peers }
        return peers.filter { mspIDs.contains($0.mspID) }
    }

    /// The orderer organizations (MSP ids of the orderers), or nil when an orderer names none.
    public var ordererMSPIDs: Set<String>? {
        let ids = orderers.compactMap(\.mspID)
        return ids.count == orderers.count && !ids.isEmpty ? Set(ids) : nil
    }

    /// Reads a profile; relative paths are relative to the file.
    public static func load(path: String) throws -> ConnectionProfile {
        var profile = try loadAsWritten(path: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let resolve = { (path: String) in path.hasPrefix("/") ? path : folder.appendingPathComponent(path).standardizedFileURL.path }
        profile.organizations = profile.organizations.map(resolve)
        profile.identity = profile.identity.map(resolve)
        return profile
    }

    /// Reads a profile with its paths as written (to change it and write it back).
    public static func loadAsWritten(path: String) throws -> ConnectionProfile {
        let url = URL(fileURLWithPath: path)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw ConnectionProfileError("cannot read \(path)") }
        do {
            return try YAMLDecoder().decode(ConnectionProfile.self, from: text)
        } catch {
            throw ConnectionProfileError("\(path): \(error)")
        }
    }

    /// The YAML text.
    public func yaml() throws -> String { try YAMLEncoder().encode(self) }
}

/// A connection profile that cannot be read or does not decode.
public struct ConnectionProfileError: Error, CustomStringConvertible, Sendable {
    public let reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { "connection profile: \(reason)" }
}
