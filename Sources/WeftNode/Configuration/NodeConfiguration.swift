#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftProtocol
import WeftYAML

/// Everything one node (peer or orderer) needs, read from its YAML file (docs/node-config.md) and
/// overridden by flags and `WEFT_*` environment variables. Relative paths are relative to the file.
public struct NodeConfiguration: Codable, Sendable, Equatable {
    /// What the node is.
    public enum Role: String, Codable, Sendable {
        case peer
        case orderer
    }

    /// TLS settings. Every node port is mutual TLS; only the files and the versions can be chosen.
    public struct TLS: Codable, Sendable, Equatable {
        /// The node's TLS certificate (PEM); default `<identity>/tls/cert.pem`.
        public var certificate: String?
        /// Its private key (PEM); default `<identity>/tls/key.pem`.
        public var key: String?
        /// Also accept TLS 1.2 (ECDHE-ECDSA with AES-GCM only); default TLS 1.3 only.
        public var allowTLS12: Bool?

        public init(certificate: String? = nil, key: String? = nil, allowTLS12: Bool? = nil) {
            self.certificate = certificate
            self.key = key
            self.allowTLS12 = allowTLS12
        }
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
    /// Serve the operations endpoint over TLS with the node's TLS certificate (client certificates
    /// optional; `PUT /logspec` then requires an admin of the node's organization). Default false.
    public var operationsTLS: Bool?
    /// TLS files and versions; defaults when absent.
    public var tls: TLS?
    /// Folder for the node's data (ledger, Raft log, block store).
    public var dataDir: String
    /// `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`.
    public var logLevel: String?
    /// The MSP folder of the node's organization (`msp.json`, `cacerts/`, `tlscacerts/`, `admincerts/`):
    /// who may administer the node (join channels) before it has any channel; default
    /// `<identity>/../../msp`, where `weft crypto generate` puts it. The channels themselves — members,
    /// orderers, rules — come from their genesis blocks (docs/channels.md), never from this file.
    public var msp: String?
    /// A peer's ledger retention (docs/node-config.md, docs/ledger-lifecycle.md); keep every block when absent.
    public var ledger: LedgerSettings?

    public init(
        role: Role, name: String, mspID: String, identity: String, listen: String, operations: String? = nil,
        operationsTLS: Bool? = nil, tls: TLS? = nil, dataDir: String, logLevel: String? = nil, msp: String? = nil,
        ledger: LedgerSettings? = nil
    ) {
        self.ledger = ledger
        self.operationsTLS = operationsTLS
        self.tls = tls
        self.role = role
        self.name = name
        self.mspID = mspID
        self.identity = identity
        self.listen = listen
        self.operations = operations
        self.dataDir = dataDir
        self.logLevel = logLevel
        self.msp = msp
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
        if text.split(separator: "\n").contains(where: { $0.hasPrefix("channel:") }) {
            throw ConfigurationError.invalid(
                path: path, reason: "the channel: section is gone: a node reads each channel from its genesis block (weft channel create, then weft channel join; docs/channels.md). Remove the section")
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
        if var settings = tls {
            settings.certificate = settings.certificate.map(resolve)
            settings.key = settings.key.map(resolve)
            tls = settings
        }
        dataDir = resolve(dataDir)
        msp = msp.map(resolve)
    }

    /// The node's TLS certificate file.
    public var tlsCertificatePath: String {
        tls?.certificate ?? URL(fileURLWithPath: identity).appendingPathComponent("tls/cert.pem").path
    }

    /// The node's TLS private key file.
    public var tlsKeyPath: String {
        tls?.key ?? URL(fileURLWithPath: identity).appendingPathComponent("tls/key.pem").path
    }

    /// Checks what a node cannot start without, with messages that name the setting.
    public func validate() throws {
        guard Endpoint(listen) != nil else { throw ConfigurationError.invalid(path: "listen", reason: "\"\(listen)\" is not host:port") }
        if let operations, Endpoint(operations) == nil {
            throw ConfigurationError.invalid(path: "operations", reason: "\"\(operations)\" is not host:port")
        }
        try ledger?.validate()
    }

    /// The node's organization's MSP folder.
    public var mspPath: String {
        msp ?? URL(fileURLWithPath: identity).appendingPathComponent("../../msp").standardizedFileURL.path
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
