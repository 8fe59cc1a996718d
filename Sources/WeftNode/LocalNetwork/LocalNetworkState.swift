#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `weft network up` records in `DIR/network.json`: every node, its role, its configuration and the
/// process id while it runs.
public struct LocalNetworkState: Codable, Sendable, Equatable {
    public struct Node: Codable, Sendable, Equatable {
        public var name: String
        public var role: NodeConfiguration.Role
        /// The node's configuration, relative to the network folder.
        public var config: String
        /// The node's log, relative to the network folder.
        public var log: String
        public var pid: Int32?

        public init(name: String, role: NodeConfiguration.Role, config: String, log: String, pid: Int32? = nil) {
            self.name = name
            self.role = role
            self.config = config
            self.log = log
            self.pid = pid
        }
    }

    public var nodes: [Node]

    public init(nodes: [Node]) { self.nodes = nodes }

    public static func load(from folder: URL) throws -> LocalNetworkState {
        let data = try Data(contentsOf: folder.appendingPathComponent("network.json"))
        return try JSONDecoder().decode(LocalNetworkState.self, from: data)
    }

    public func save(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: folder.appendingPathComponent("network.json"), options: .atomic)
    }
}
