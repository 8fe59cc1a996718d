#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftYAML

/// Everything one node (peer or orderer) needs, read from its YAML file (docs/node-config.md) and
/// overridden by flags and `WEFT_*` environment variables. Relative paths are relative to the file.
public struct NodeConfiguration: Codable, Sendable, Equatable {
    /// What the node is.
    public enum Role: String, Codable, Sendable {
        case peer
        case orderer
    }

    public var role: Role
    /// The node's name, e.g. `peer0.org1`.
    public var name: String
    /// The node's organization.
    public var mspID: String
    /// Folder with the node's `cert.pem`, `key.pem`, `identity.json` (as `weft crypto generate` writes).
    public var identity: String
    /// `host:port` the node serves on.
    public var listen: String
    /// `host:port` of the operations endpoint (healthz, metrics); none when absent.
    public var operations: String?
    /// Folder for the node's data (ledger, Raft log, block store).
    public var dataDir: String
    /// `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`.
    public var logLevel: String?
    /// The channel the node serves.
    public var channel: ChannelConfiguration

    public init(
        role: Role, name: String, mspID: String, identity: String, listen: String, operations: String? = nil,
        dataDir: String, logLevel: String? = nil, channel: ChannelConfiguration
    ) {
        self.role = role
        self.name = name
        self.mspID = mspID
        self.identity = identity
        self.listen = listen
        self.operations = operations
        self.dataDir = dataDir
        self.logLevel = logLevel
        self.channel = channel
    }

    /// The settings a flag or a `WEFT_<NAME>` variable can override.
    public enum Override: String, CaseIterable, Sendable {
        case listen = "LISTEN"
        case operations = "OPERATIONS"
        case dataDir = "DATA_DIR"
        case logLevel = "LOG_LEVEL"
        case name = "NAME"
    }

    /// Reads `path`, resolves relative paths against its folder, then applies `WEFT_*` variables from
    /// `environment` and finally `overrides` (from flags).
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        overrides: [Override: String] = [:]
    ) throws -> NodeConfiguration {
        let url = URL(fileURLWithPath: path)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ConfigurationError.unreadable(path: path)
        }
        var configuration: NodeConfiguration
        do {
            configuration = try YAMLDecoder().decode(NodeConfiguration.self, from: text)
        } catch {
            throw ConfigurationError.invalid(path: path, reason: "\(error)")
        }
        configuration.resolvePaths(relativeTo: url.deletingLastPathComponent())
        for key in Override.allCases {
            if let value = environment["WEFT_" + key.rawValue] { configuration.apply(key, value) }
        }
        for (key, value) in overrides { configuration.apply(key, value) }
        try configuration.validate()
        return configuration
    }

    mutating func apply(_ key: Override, _ value: String) {
        switch key {
        case .listen: listen = value
        case .operations: operations = value.isEmpty ? nil : value
        case .dataDir: dataDir = value
        case .logLevel: logLevel = value
        case .name: name = value
        }
    }

    mutating func resolvePaths(relativeTo folder: URL) {
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : folder.appendingPathComponent(path).standardizedFileURL.path
        }
        identity = resolve(identity)
        dataDir = resolve(dataDir)
        channel.organizations = channel.organizations.map(resolve)
    }

    /// Checks what a node cannot start without, with messages that name the setting.
    public func validate() throws {
        guard Endpoint(listen) != nil else { throw ConfigurationError.invalid(path: "listen", reason: "\"\(listen)\" is not host:port") }
        if let operations, Endpoint(operations) == nil {
            throw ConfigurationError.invalid(path: "operations", reason: "\"\(operations)\" is not host:port")
        }
        try channel.validate()
    }

    /// The YAML text of this configuration.
    public func yaml() throws -> String { try YAMLEncoder().encode(self) }
}

/// Why a configuration could not be used.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read the configuration file \(path)"
        case let .invalid(path, reason): "invalid configuration (\(path)): \(reason)"
        }
    }
}
