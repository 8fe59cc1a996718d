import Foundation
import NIOSSL
import Operations

enum TestPKIError: Error {
    case openssl(arguments: [String], status: Int32, output: String)
}

/// A throwaway CA and certificates made with the `openssl` CLI in a temporary folder, once per test
/// process (the OperationsTests target does not link WeftCrypto). P-256 keys, valid for a day.
struct TestPKI: Sendable {
    /// A certificate and its key.
    struct Identity: Sendable {
        let certificate: NIOSSLCertificate
        let key: NIOSSLPrivateKey
        var der: [UInt8] { (try? certificate.toDERBytes()) ?? [] }
        var credentials: OperationsTLS.Credentials {
            OperationsTLS.Credentials(certificateChain: [certificate], privateKey: key)
        }
    }

    let ca: NIOSSLCertificate
    /// The node's TLS certificate, and the one it rotates to.
    let server: Identity
    let rotatedServer: Identity
    /// Client certificates: one the tests' `isAdministrator` accepts, one it does not.
    let admin: Identity
    let member: Identity

    static let shared: Result<TestPKI, any Error> = Result { try make() }

    static func load() throws -> TestPKI { try shared.get() }

    private static func make() throws -> TestPKI {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-ops-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path("ca.key")])
        try openssl(["req", "-x509", "-new", "-key", path("ca.key"), "-subj", "/O=Org1/CN=tlsca.org1", "-days", "1",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                     "-out", path("ca.pem")])
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n"
            .write(toFile: path("leaf.ext"), atomically: true, encoding: .utf8)
        func issue(_ name: String) throws -> Identity {
            try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path("\(name).key")])
            try openssl(["req", "-new", "-key", path("\(name).key"), "-subj", "/O=Org1/CN=\(name)", "-out", path("\(name).csr")])
            try openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                         "-CAcreateserial", "-days", "1", "-extfile", path("leaf.ext"), "-out", path("\(name).pem")])
            return Identity(certificate: try certificate(path("\(name).pem")),
                            key: try NIOSSLPrivateKey(file: path("\(name).key"), format: .pem))
        }
        return TestPKI(ca: try certificate(path("ca.pem")),
                       server: try issue("peer0.org1"), rotatedServer: try issue("peer0-rotated.org1"),
                       admin: try issue("Admin@org1"), member: try issue("User1@org1"))
    }

    private static func certificate(_ path: String) throws -> NIOSSLCertificate {
        guard let first = try NIOSSLCertificate.fromPEMFile(path).first else { throw NIOSSLError.failedToLoadCertificate }
        return first
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestPKIError.openssl(arguments: arguments, status: process.terminationStatus, output: text)
        }
    }

    /// A client context trusting the test CA (no host name check), presenting `identity` if given.
    func clientContext(presenting identity: Identity? = nil) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([ca])
        configuration.certificateVerification = .noHostnameVerification
        configuration.minimumTLSVersion = .tlsv13
        if let identity {
            configuration.certificateChain = [.certificate(identity.certificate)]
            configuration.privateKey = .privateKey(identity.key)
        }
        return try NIOSSLContext(configuration: configuration)
    }
}
