#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore
import Identity
import WeftClient
import WeftCore
import WeftCrypto
import WeftRPC
import Wire

/// One in-process server and client on loopback, and the measurements of `weft bench wire`.
struct BenchWireRun {
    let server: RPCServer
    let client: RPCClient
    let clientSecurity: RPCTransportSecurity
    let authorize: Authorizer

    /// Starts a server (OrdererMSP, role orderer) with an echo `evaluate` handler and a `deliver`
    /// stream of `itemSize`-byte items, and connects a client (Org1MSP, role client), over mutual TLS
    /// with certificates of each organization's TLS CA.
    static func start(itemSize: Int) async throws -> BenchWireRun {
        let ca1 = try CertificateAuthority.selfSigned(subject: DistinguishedName(organization: "Org1", commonName: "tlsca.org1"))
        let caO = try CertificateAuthority.selfSigned(subject: DistinguishedName(organization: "Orderer", commonName: "tlsca.orderer"))
        func security(_ ca: CertificateAuthority, _ mspID: String, _ role: String) throws -> RPCTransportSecurity {
            let key = try P256SigningKey()
            let subject = DistinguishedName(organization: mspID, organizationalUnits: [role], commonName: "\(role).\(mspID)")
            let certificate = try ca.issue(CertificateTemplate(
                subject: subject, publicKey: key.publicKey,
                subjectAlternativeNames: [.init(host: "127.0.0.1"), .init(host: "localhost")]))
            return try RPCTransportSecurity(credentials: RPCCredentials(certificate: certificate, privateKey: key))
        }
        let membership = try Membership(organizations: [
            Organization(name: "Org1", mspID: "Org1MSP", caCertificates: [ca1.certificate], tlsCACertificates: [ca1.certificate]),
            Organization(name: "Orderer", mspID: "OrdererMSP", caCertificates: [caO.certificate], tlsCACertificates: [caO.certificate]),
        ], ordererMSPIDs: ["OrdererMSP"])
        let authorize = membership.tlsAuthorizer()
        var routes = RPCRoutes()
        routes.unary(.evaluate, allowed: .anyMember) { body, _ in body }
        let item = Array(repeating: UInt8(0xA5), count: itemSize)
        routes.serverStream(.deliver, allowed: .anyMember) { _, _, writer in
            while true { try await writer.send(item) }
        }
        var quiet = Logger(label: "weft.bench.wire")
        quiet.logLevel = .error
        let server = try await RPCServer.start(
            security: try security(caO, "OrdererMSP", "orderer"), routes: routes, authorize: authorize, logger: quiet
        )
        let clientSecurity = try security(ca1, "Org1MSP", "client")
        let client = try await RPCClient.connect(
            host: "127.0.0.1", port: server.port, security: clientSecurity, authorizeServer: authorize, logger: quiet
        )
        return BenchWireRun(server: server, client: client, clientSecurity: clientSecurity, authorize: authorize)
    }

    func stop() async {
        await client.close()
        await server.shutdown(gracePeriod: .seconds(1))
    }

    /// What one unary measurement found.
    struct UnaryResult {
        let callsPerSecond: Double
        let p50Microseconds: Double
        let p99Microseconds: Double
        let cpuMicrosecondsPerCall: Double
    }

    /// Round trips of `payload` bytes by `callers` concurrent tasks on the one connection.
    func unary(callers: Int, payload: Int, seconds: Double) async throws -> UnaryResult {
        let body = Array(repeating: UInt8(7), count: payload)
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(seconds * 1000))
        let cpuStart = ProcessCPU.nanoseconds()
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for _ in 0..<callers {
                group.addTask {
                    var samples: [Duration] = []
                    samples.reserveCapacity(1 << 16)
                    while clock.now < deadline {
                        let began = clock.now
                        _ = try await client.call(.evaluate, body)
                        samples.append(clock.now - began)
                    }
                    return samples
                }
            }
            var all: [Duration] = []
            for try await samples in group { all += samples }
            return all.sorted()
        }
        let elapsed = Self.seconds(clock.now - start)
        let cpu = Double(ProcessCPU.nanoseconds() - cpuStart) / 1e3
        let count = max(latencies.count, 1)
        return UnaryResult(
            callsPerSecond: Double(latencies.count) / elapsed,
            p50Microseconds: Self.seconds(latencies[latencies.count / 2]) * 1e6,
            p99Microseconds: Self.seconds(latencies[min(latencies.count - 1, latencies.count * 99 / 100)]) * 1e6,
            cpuMicrosecondsPerCall: cpu / Double(count)
        )
    }

    /// Megabytes (10^6 bytes) of stream items per second received by one consumer.
    func stream(seconds: Double) async throws -> Double {
        let clock = ContinuousClock()
        let stream = client.stream(.deliver, [])
        var bytes = 0
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        for try await item in stream {
            bytes += item.count
            if clock.now >= deadline { break }
        }
        stream.cancel()
        return Double(bytes) / Self.seconds(clock.now - start) / 1e6
    }

    /// Connections opened and authenticated (a full TLS 1.3 handshake with client certificate, both
    /// certificate checks) per second, one after another.
    func handshakes(seconds: Double) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        var count = 0
        var quiet = Logger(label: "weft.bench.wire")
        quiet.logLevel = .error
        while clock.now < deadline {
            let extra = try await RPCClient.connect(
                host: "127.0.0.1", port: server.port, security: clientSecurity, authorizeServer: authorize, logger: quiet
            )
            await extra.close()
            count += 1
        }
        return Double(count) / Self.seconds(clock.now - start)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// CPU time of the whole process (every thread), for CPU cost per call.
enum ProcessCPU {
    static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
