#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import NIOCore
import NIOPosix
import NIOSSL
import WeftClient
import WeftNode
import WeftCommandLine

/// The operations endpoints of a network's nodes, and how to reach them: from a local network's node
/// configurations (`--dir`) or from the `operations:` addresses of a connection profile (`--profile`),
/// over HTTPS trusting the TLS CAs of the network's organizations and presenting the caller's TLS
/// certificate, as the other client commands do.
struct MetricsTargets: Sendable {
    struct Target: Sendable {
        var name: String
        var role: String
        var host: String
        var port: Int
        var useTLS: Bool

        var url: String { "\(useTLS ? "https" : "http")://\(host.contains(":") ? "[\(host)]" : host):\(port)/metrics" }
    }

    var targets: [Target]
    var tls: NIOSSLContext?

    /// The nodes of the local network in `dir`, each by its node YAML.
    static func local(dir: URL) throws -> MetricsTargets {
        let state: LocalNetworkState
        do {
            state = try LocalNetworkState.load(from: dir)
        } catch {
            throw CLIFailure(.usage, "\(dir.path) holds no network (no network.json); start one with: weft network up --dir \(dir.path)")
        }
        var targets: [Target] = []
        for node in state.nodes {
            let path = node.config.hasPrefix("/") ? node.config : dir.appendingPathComponent(node.config).path
            let configuration = try NodeConfiguration.load(path: path, environment: [:])
            guard let operations = configuration.operations, let endpoint = Endpoint(operations) else {
                throw CLIFailure(.usage, "\(path) has no operations address; `weft network top` reads each node's /metrics")
            }
            targets.append(Target(name: node.name, role: node.role == .peer ? "peer" : "orderer",
                                  host: HealthcheckCommand.dialHost(endpoint.host), port: endpoint.port,
                                  useTLS: configuration.operationsTLS == true))
        }
        let profile = try ConnectionProfile.load(path: dir.appendingPathComponent("profile.yaml").path)
        return MetricsTargets(targets: targets, tls: try tlsContext(profile: profile, identity: profile.identity))
    }

    /// The nodes of `profile` that name an `operations:` address (`https://` is assumed; `http://host:port`
    /// for an endpoint without TLS).
    static func remote(profile: ConnectionProfile, identity: String?) throws -> MetricsTargets {
        let nodes = profile.peers.map { ($0.name, "peer", $0.operations) } + profile.orderers.map { ($0.name, "orderer", $0.operations) }
        var targets: [Target] = []
        for (name, role, operations) in nodes {
            guard let operations else { continue }
            let plain = operations.hasPrefix("http://")
            let address = operations.hasPrefix("https://") ? String(operations.dropFirst(8)) : plain ? String(operations.dropFirst(7)) : operations
            guard let endpoint = Endpoint(address) else {
                throw CLIFailure(.usage, "\(name): operations \"\(operations)\" is not host:port")
            }
            targets.append(Target(name: name, role: role, host: HealthcheckCommand.dialHost(endpoint.host), port: endpoint.port, useTLS: !plain))
        }
        guard !targets.isEmpty else {
            throw CLIFailure(.usage, "the profile names no operations endpoint; add `operations: host:9443` to its peers and orderers")
        }
        return MetricsTargets(targets: targets, tls: try tlsContext(profile: profile, identity: identity))
    }

    /// TLS 1.2+ trusting the TLS CAs of the profile's organizations, with the identity's TLS
    /// certificate as client certificate when it has one.
    static func tlsContext(profile: ConnectionProfile, identity: String?) throws -> NIOSSLContext {
        var roots: [NIOSSLCertificate] = []
        for folder in profile.organizations {
            guard let organization = try? Organization.load(mspDirectory: URL(fileURLWithPath: folder)) else { continue }
            for certificate in organization.tlsCACertificates {
                roots.append(try NIOSSLCertificate(bytes: certificate.derRepresentation, format: .der))
            }
        }
        guard !roots.isEmpty else { throw CLIFailure(.usage, "the profile's organizations hold no TLS CA certificate (tlscacerts/)") }
        var settings = TLSConfiguration.makeClientConfiguration()
        settings.minimumTLSVersion = .tlsv12
        settings.certificateVerification = .fullVerification
        settings.trustRoots = .certificates(roots)
        if let identity {
            let folder = URL(fileURLWithPath: identity)
            let certificate = folder.appendingPathComponent("tls/cert.pem").path
            let key = folder.appendingPathComponent("tls/key.pem").path
            if FileManager.default.fileExists(atPath: certificate), FileManager.default.fileExists(atPath: key) {
                settings.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                settings.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
        }
        return try NIOSSLContext(configuration: settings)
    }

    /// A short reason for a failed scrape (the view has one line per node).
    static func explain(_ error: Error) -> String {
        if error is NIOConnectionError { return "cannot connect — is the node running?" }
        if case ChannelError.connectTimeout = error { return "no connection within the timeout" }
        if case NIOSSLError.handshakeFailed = error { return "TLS handshake failed (\(error))" }
        return "\(error)"
    }

    /// Scrapes every target at once; a node that does not answer gets its error.
    func scrape(timeout: TimeAmount = .seconds(2)) async -> [String: Result<PrometheusText, CLIFailure>] {
        await withTaskGroup(of: (String, Result<PrometheusText, CLIFailure>).self) { group in
            for target in targets {
                let tls = target.useTLS ? tls : nil
                group.addTask {
                    do {
                        let answer = try await HealthProbe.get(host: target.host, port: target.port, path: "/metrics",
                                                               bodyLimit: 4 << 20, tls: tls, timeout: timeout)
                        guard answer.status == .ok else {
                            return (target.name, .failure(CLIFailure(.other, "\(target.url): \(answer.status.code)")))
                        }
                        return (target.name, .success(PrometheusText(parsing: answer.body)))
                    } catch {
                        return (target.name, .failure(CLIFailure(.unreachable, "\(target.url): \(Self.explain(error))")))
                    }
                }
            }
            var results: [String: Result<PrometheusText, CLIFailure>] = [:]
            for await (name, result) in group { results[name] = result }
            return results
        }
    }
}
