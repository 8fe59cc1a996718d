import Testing
import Foundation
import Logging
import NIOCore
import NIOPosix
import WeftCore
import WeftCrypto
@testable import WeftRPC
import Wire

/// Organizations with TLS CAs and identities with roles, and an MSP-like authorizer over them: what
/// a test needs to start servers and connect clients over mutual TLS on loopback.
struct TestNetwork: Sendable {
    struct Organization: Sendable {
        let mspID: String
        let ca: CertificateAuthority
        let trust: CertificateTrustStore
    }

    let organizations: [String: Organization]

    /// Org1MSP and Org2MSP (clients and peers) and OrdererMSP.
    init(mspIDs: [String] = ["Org1MSP", "Org2MSP", "OrdererMSP"]) throws {
        var organizations: [String: Organization] = [:]
        for mspID in mspIDs {
            let ca = try CertificateAuthority.selfSigned(subject: DistinguishedName(organization: mspID, commonName: "tlsca.\(mspID)"))
            organizations[mspID] = Organization(mspID: mspID, ca: ca, trust: try ca.trustStore())
        }
        self.organizations = organizations
    }

    /// A fresh TLS certificate and key of `mspID` with `role` in its OU, naming `hosts`.
    func credentials(
        _ mspID: String, role: String, name: String? = nil, hosts: [String] = ["127.0.0.1", "localhost"],
        notBefore: Date = Date().addingTimeInterval(-3600), notAfter: Date = Date().addingTimeInterval(86400)
    ) throws -> RPCCredentials {
        guard let organization = organizations[mspID] else { throw RPCError(.internal, "no organization \(mspID)") }
        let key = try P256SigningKey()
        let subject = DistinguishedName(organization: mspID, organizationalUnits: [role], commonName: name ?? "\(role).\(mspID)")
        let certificate = try organization.ca.issue(CertificateTemplate(
            subject: subject, publicKey: key.publicKey, subjectAlternativeNames: hosts.map(SubjectAlternativeName.init(host:)),
            notBefore: notBefore, notAfter: notAfter))
        return try RPCCredentials(certificate: certificate, privateKey: key)
    }

    /// TLS settings with a fresh certificate of `mspID` and `role`.
    func security(_ mspID: String, role: String, name: String? = nil, allowsTLS12: Bool = false) throws -> RPCTransportSecurity {
        try RPCTransportSecurity(credentials: credentials(mspID, role: role, name: name), allowsTLS12: allowsTLS12)
    }

    /// An MSP-style TLS authorizer: the certificate's issuer is a member's TLS CA (which gives its
    /// MSP id), it chains to that CA and is valid now, and its OU names a role.
    var authorizer: Authorizer {
        let organizations = self.organizations
        return { certificate in
            guard let organization = organizations.values.first(where: { $0.ca.certificate.subject == certificate.issuer }) else {
                return .failure(AuthorizationRefusal("\(certificate.issuer) is not the TLS CA of a member of this network"))
            }
            if let failure = organization.trust.failure(verifying: certificate, at: Date()) {
                return .failure(AuthorizationRefusal("certificate does not chain to \(organization.mspID)'s TLS CA: \(failure)"))
            }
            guard let role = Caller.role(in: certificate) else {
                return .failure(AuthorizationRefusal("certificate carries no role in its OU"))
            }
            let identity = SerializedIdentity(mspID: organization.mspID, certificate: certificate.derRepresentation)
            return .success(Caller(identity: identity, certificate: certificate, role: role))
        }
    }

    /// Server settings for tests: a handshake timeout long enough that a test task starved by the
    /// rest of the suite (which runs in parallel on two cores) is not mistaken for a silent client.
    static let serverConfiguration = RPCServerConfiguration(handshakeTimeout: .seconds(60))

    /// Client settings for tests, patient for the same reason.
    static let clientConfiguration = RPCClientConfiguration(handshakeTimeout: .seconds(60), defaultCallTimeout: .seconds(60))

    static let quietLogger: Logger = {
        var logger = Logger(label: "weft.rpc.test")
        logger.logLevel = ProcessInfo.processInfo.environment["WEFT_TEST_LOG"] == nil ? .critical : .debug
        return logger
    }()

    /// Starts a server of OrdererMSP (role orderer) with `routes` on 127.0.0.1, port 0.
    func startServer(
        routes: RPCRoutes, configuration: RPCServerConfiguration = TestNetwork.serverConfiguration,
        security: RPCTransportSecurity? = nil, logger: Logger = TestNetwork.quietLogger
    ) async throws -> RPCServer {
        try await RPCServer.start(
            configuration: configuration,
            security: try security ?? self.security("OrdererMSP", role: "orderer", name: "orderer0"),
            routes: routes, authorize: authorizer, logger: logger
        )
    }

    /// Connects a client of `mspID` with `role` to `server` (listening on `host`).
    func connect(
        to server: RPCServer, host: String = "127.0.0.1", mspID: String = "Org1MSP", role: String = "client",
        configuration: RPCClientConfiguration = TestNetwork.clientConfiguration
    ) async throws -> RPCClient {
        try await RPCClient.connect(
            host: host, port: server.port, security: try security(mspID, role: role),
            authorizeServer: authorizer, configuration: configuration, logger: Self.quietLogger
        )
    }
}

/// Runs `body` with a server and closes it afterwards, whatever happens.
func withServer<T>(
    _ network: TestNetwork, routes: RPCRoutes, configuration: RPCServerConfiguration = TestNetwork.serverConfiguration,
    security: RPCTransportSecurity? = nil, logger: Logger = TestNetwork.quietLogger, _ body: (RPCServer) async throws -> T
) async throws -> T {
    let server = try await network.startServer(routes: routes, configuration: configuration, security: security, logger: logger)
    do {
        let result = try await body(server)
        await server.shutdown(gracePeriod: .seconds(2))
        return result
    } catch {
        await server.shutdown(gracePeriod: .seconds(2))
        throw error
    }
}

/// Routes used across the tests: echo (`evaluate`), a failing handler (`endorse`), an orderer-only
/// message (`broadcast`), and a counting stream (`deliver`: body = u32 count of 8-byte items).
func standardRoutes() -> RPCRoutes {
    var routes = RPCRoutes()
    routes.unary(.evaluate, allowed: .anyMember) { body, _ in body }
    routes.unary(.endorse, allowed: .anyMember) { body, caller in
        if body == Array("rpc".utf8) { throw RPCError(.badRequest, "proposal rejected for \(caller.mspID)") }
        throw TestHandlerFailure(reason: "chaincode panicked")
    }
    routes.unary(.broadcast, allowed: .roles([.orderer])) { _, caller in Array(caller.role.rawValue.utf8) }
    routes.unary(.ledgerQuery, allowed: .anyMember) { _, caller in
        Array("\(caller.mspID)/\(caller.role)/\(caller.certificate.subject.commonName ?? "")".utf8)
    }
    routes.serverStream(.deliver, allowed: .anyMember) { body, _, writer in
        let count = try UInt32(canonicalBytes: body)
        for index in 0..<UInt64(count) { try await writer.send(index.canonicalBytes) }
    }
    return routes
}

struct TestHandlerFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// The `RPCError` that `body` throws, or nil (recording an issue) when it throws something else or
/// nothing.
func rpcError<T>(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T
) async -> RPCError? {
    do {
        _ = try await body()
        Issue.record("expected an RPCError, got success", sourceLocation: sourceLocation)
    } catch let error as RPCError {
        return error
    } catch {
        Issue.record("expected an RPCError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Polls `condition` every 20 ms until it holds. Waiting is for a condition, not a time: `hangGuard`
/// only turns a condition that never comes into a failure naming it instead of a stalled run.
func waitFor(_ what: String, hangGuard: Duration = .seconds(120), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + hangGuard
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw RPCError(.internal, "waited \(hangGuard) for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
