import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import Operations
import Testing

/// The operations endpoint over HTTPS: open reads, administrator-only `PUT /logspec`, plain HTTP on the
/// TLS port, certificate rotation. Real TLS over loopback with certificates from ``TestPKI``.
@Suite(.timeLimit(.minutes(5))) struct OperationsTLSTests {
    /// A server whose credentials can be swapped (rotation) and whose administrator is ``TestPKI/admin``.
    struct TLSServer {
        let server: OperationsServer
        let logLevels: LogLevelControl
        let credentials: NIOLockedValueBox<OperationsTLS.Credentials>
        let checked: NIOLockedValueBox<[[UInt8]]>
    }

    static func withTLSServer(requestTimeout: TimeAmount = .seconds(10),
                              _ body: (TLSServer, TestPKI) async throws -> Void) async throws {
        let pki = try TestPKI.load()
        let credentials = NIOLockedValueBox(pki.server.credentials)
        let checked = NIOLockedValueBox<[[UInt8]]>([])
        let adminDER = pki.admin.der
        let tls = OperationsTLS(credentials: { credentials.withLockedValue { $0 } }) { leaf in
            checked.withLockedValue { $0.append(leaf) }
            return leaf == adminDER
        }
        let logLevels = LogLevelControl()
        let router = OperationsRouter(health: HealthRegistry(), logLevels: logLevels, metrics: WeftMetrics.bootstrap(),
                                      version: OperationsVersion(version: "0.1.0"))
        let server = try await OperationsServer.start(
            configuration: .init(host: "127.0.0.1", port: 0, requestTimeout: requestTimeout, tls: tls), router: router)
        do {
            try await body(TLSServer(server: server, logLevels: logLevels, credentials: credentials, checked: checked), pki)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    @Test func readsNeedNoClientCertificate() async throws {
        try await Self.withTLSServer { tls, pki in
            #expect(tls.server.configuration.scheme == "https")
            let anonymous = try pki.clientContext()
            for path in ["/healthz", "/metrics", "/version", "/logspec"] {
                let response = try await HTTPTestConnection.request(port: tls.server.port, tls: anonymous, "GET", path)
                #expect(response.status == 200, "GET \(path)")
            }
            #expect(tls.checked.withLockedValue { $0 }.isEmpty)  // reads consult no one
        }
    }

    @Test func putLogSpecNeedsAnAdministratorCertificate() async throws {
        try await Self.withTLSServer { tls, pki in
            let port = tls.server.port
            let body = #"{"spec":"weft.raft=debug:info"}"#

            let anonymous = try await HTTPTestConnection.request(
                port: port, tls: try pki.clientContext(), "PUT", "/logspec", body: body)
            #expect(anonymous.status == 403)
            #expect(anonymous.body.contains("administrator of this node's organization"))
            #expect(anonymous.body.contains("presented no client certificate"))

            let member = try await HTTPTestConnection.request(
                port: port, tls: try pki.clientContext(presenting: pki.member), "PUT", "/logspec", body: body)
            #expect(member.status == 403)
            #expect(member.body.contains("the certificate presented is not one"))
            #expect(tls.logLevels.spec.description == "info")  // unchanged

            let admin = try await HTTPTestConnection.request(
                port: port, tls: try pki.clientContext(presenting: pki.admin), "PUT", "/logspec", body: body)
            #expect(admin.status == 204)
            #expect(tls.logLevels.spec.description == "weft.raft=debug:info")
            // The check saw exactly the leaves the clients presented.
            #expect(tls.checked.withLockedValue { $0 } == [pki.member.der, pki.admin.der])
        }
    }

    @Test func plainHTTPOnTheTLSPortIsToldToUseHTTPSAndTheServerKeepsServing() async throws {
        try await Self.withTLSServer { tls, pki in
            let plain = try await HTTPTestConnection.with(port: tls.server.port) { connection in
                try await connection.send(HTTPTestConnection.requestText("GET", "/healthz", close: false))
                let response = try await connection.readResponse()
                #expect(try await connection.readToEnd() == "")  // then closed
                return response
            }
            #expect(plain.status == 400)
            #expect(plain.body.contains("https://"))
            let https = try await HTTPTestConnection.request(port: tls.server.port, tls: try pki.clientContext(), "GET", "/healthz")
            #expect(https.status == 200)
        }
    }

    @Test func aRotatedCertificateIsPresentedFromTheNextConnection() async throws {
        try await Self.withTLSServer { tls, pki in
            let client = try pki.clientContext()
            func presented() async throws -> [UInt8]? {
                try await HTTPTestConnection.with(port: tls.server.port, tls: client) { connection in
                    try await connection.send(HTTPTestConnection.requestText("GET", "/version", close: false))
                    #expect(try await connection.readResponse().status == 200)
                    return try await connection.serverCertificate()?.toDERBytes()
                }
            }
            #expect(try await presented() == pki.server.der)
            tls.credentials.withLockedValue { $0 = pki.rotatedServer.credentials }
            #expect(try await presented() == pki.rotatedServer.der)
        }
    }

    @Test func aStalledTLSHandshakeIsClosedAtTheRequestDeadline() async throws {
        try await Self.withTLSServer(requestTimeout: .milliseconds(300)) { tls, _ in
            let start = ContinuousClock.now
            try await HTTPTestConnection.with(port: tls.server.port) { connection in
                try await connection.send([0x16, 0x03])  // the start of a ClientHello, then nothing
                _ = try? await connection.readToEnd()
            }
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }

    @Test func credentialsTLSCannotUseAreAStartError() async throws {
        let pki = try TestPKI.load()
        let mismatched = OperationsTLS.Credentials(certificateChain: [pki.server.certificate], privateKey: pki.admin.key)
        let tls = OperationsTLS(credentials: { mismatched }, isAdministrator: { _ in false })
        let router = OperationsRouter(health: HealthRegistry(), logLevels: LogLevelControl(), metrics: WeftMetrics.bootstrap(),
                                      version: OperationsVersion(version: "0.1.0"))
        let error = await #expect(throws: OperationsError.self) {
            _ = try await OperationsServer.start(configuration: .init(host: "127.0.0.1", port: 0, tls: tls), router: router)
        }
        if case .tlsUnavailable = error {} else { Issue.record("expected tlsUnavailable, got \(String(describing: error))") }
    }
}
