import Foundation
import Identity
import Ledger
import Testing
import WeftClient
import WeftCore
import WeftCrypto
import WeftNode
import WeftRPC
import Wire

/// The peer's real commit path: a `weft peer start` process whose `BlockPuller` streams blocks from the
/// orderers of its channel into `Committer.submit`. The two orderers are played by this test on the
/// addresses the peer's configuration names, each with its real TLS certificate: orderer0 answers every
/// deliver with a bad block — a corrupted signature, a signature by a peer, or a signature by orderer0's
/// key under an orderer certificate that has expired — and orderer1 with the good chain, one block per
/// stream. The peer must refuse every bad block, move on to the other orderer, and commit the whole good
/// chain, block for block.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PeerBlockSourceTests {
    /// What is wrong with a block from the rogue orderer.
    enum Fault: Int, CaseIterable, Sendable {
        case corruptedSignature, signedByAPeer, expiredOrdererCertificate

        /// What the peer's log says about such a block.
        var reason: String {
            switch self {
            case .corruptedSignature: "does not verify"
            case .signedByAPeer: "role peer cannot act as orderer"
            case .expiredOrdererCertificate: "certificate expired"
            }
        }
    }

    /// Good blocks orderer1 serves. The peer alternates between the orderers (each good stream ends
    /// after one block), so orderer0 is asked before each of them: every fault is served twice.
    static let goodBlocks = 6

    @Test func badlySignedBlocksFromOneOrdererAreRefusedAndTheOtherOrderersBlocksCommit() async throws {
        try await PeerWithFakeOrderers.with { setup in
            let good = try setup.goodChain(count: Self.goodBlocks)
            let rogue = RogueServed()
            let faults = try setup.faultySigners()
            try await setup.serve(orderer: 0) { start, writer in
                let fault = await rogue.next(start)
                try await writer.send(try setup.rogueBlock(start, previousHash: start == 0 ? BlockHeader.genesisPreviousHash : good[Int(start) - 1].header.hash,
                                                           fault: fault, signers: faults).canonicalBytes)
            }
            try await setup.serve(orderer: 1) { start, writer in
                guard start < UInt64(good.count) else {
                    try await Task.sleep(for: .seconds(3600))  // nothing new: hold the stream, as a real orderer does
                    return
                }
                try await writer.send(good[Int(start)].canonicalBytes)  // one block, then the stream ends
            }
            try setup.startPeer()

            let gateway = try setup.gateway()
            defer { Task { await gateway.close() } }
            try await waitUntil("the peer commits \(good.count) blocks and orderer0 served every fault", timeout: .seconds(180)) {
                guard case .info(let info)? = try? await gateway.query(.info), info.height >= UInt64(good.count) else { return false }
                return await rogue.faults.isSuperset(of: Fault.allCases)
            }

            // Block for block the good chain, with orderer1's signature; nothing of orderer0's.
            for number in 0..<UInt64(good.count) {
                guard case .block(let block?) = try await gateway.query(.block(number)) else {
                    Issue.record("the peer lacks block \(number)")
                    continue
                }
                #expect(block.header == good[Int(number)].header, "block \(number) is not orderer1's")
                #expect(block.metadata.ordererSignatures == good[Int(number)].metadata.ordererSignatures)
            }
            guard case .info(let info) = try await gateway.query(.info) else { throw GatewayError.protocolError("info") }
            #expect(info.height == UInt64(good.count))
            #expect(info.currentBlockHash == good.last!.header.hash)

            // Each refusal is the committer's, for the fault orderer0 served, and the puller moved on.
            let log = try setup.peerLog()
            for fault in Fault.allCases {
                let refused = log.split(separator: "\n").filter {
                    $0.contains("deliver from orderer0.orderer") && $0.contains("refused") && $0.contains(fault.reason)
                }
                #expect(!refused.isEmpty, "no refusal of a block with \(fault) in the peer's log:\n\(log)")
            }
            let served = await rogue.served
            // The peer holds block 0 (the genesis block) from the start: it asked for each later one.
            #expect(served.count >= Self.goodBlocks - 1, "orderer0 was asked \(served.count) times: \(served)")
        }
    }
}

/// What the rogue orderer served: the block number asked for and the fault it got, in order.
actor RogueServed {
    private(set) var served: [(start: UInt64, fault: PeerBlockSourceTests.Fault)] = []
    var faults: Set<PeerBlockSourceTests.Fault> { Set(served.map(\.fault)) }

    /// The fault for the next request: each in turn.
    func next(_ start: UInt64) -> PeerBlockSourceTests.Fault {
        let fault = PeerBlockSourceTests.Fault.allCases[served.count % PeerBlockSourceTests.Fault.allCases.count]
        served.append((start, fault))
        return fault
    }
}

/// A network folder from `weft network init` (one organization with one peer, two orderers), the peer
/// running as a real process, and RPC servers of this test in place of the orderers.
struct PeerWithFakeOrderers {
    let folder: URL
    let state: LocalNetworkState
    let peer: NodeConfiguration
    let orderers: [NodeConfiguration]
    private let servers = ServerList()
    private let process = ProcessSlot()

    static func with(_ body: (PeerWithFakeOrderers) async throws -> Void) async throws {
        StaleNetworkReaper.reap()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(StaleNetworkReaper.folderPrefix)\(UUID().uuidString)")
        try StaleNetworkReaper.claim(folder)
        let setup: PeerWithFakeOrderers
        do {
            let initialized = try await WeftProcess.run(["network", "init", "--dir", folder.path, "--orgs", "1", "--peers", "1", "--orderers", "2"])
            guard initialized.status == 0 else { throw GatewayError.protocolError("weft network init: \(initialized.stderr)") }
            let state = try LocalNetworkState.load(from: folder)
            func configuration(_ node: LocalNetworkState.Node) throws -> NodeConfiguration {
                try NodeConfiguration.load(path: folder.appendingPathComponent(node.config).path, environment: [:])
            }
            setup = PeerWithFakeOrderers(
                folder: folder, state: state,
                peer: try configuration(try #require(state.nodes.first { $0.role == .peer })),
                orderers: try state.nodes.filter { $0.role == .orderer }.map(configuration))
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        do {
            try await body(setup)
        } catch {
            await setup.tearDown()
            throw error
        }
        await setup.tearDown()
    }

    func tearDown() async {
        if let pid = process.take() {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        for server in servers.all { await server.shutdown(gracePeriod: .milliseconds(100)) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Serves `deliver` as orderer `index` of the peer's channel, on its address and with its TLS
    /// certificate: `send(start, writer)` answers one stream.
    func serve(orderer index: Int, _ send: @escaping @Sendable (UInt64, RPCStreamWriter) async throws -> Void) async throws {
        let configuration = orderers[index]
        let address = try #require(Endpoint(configuration.listen))
        var routes = RPCRoutes()
        routes.serverStream(.deliver, allowed: .anyMember) { request, _, writer in
            try await send(try StreamStart(canonicalBytes: ChannelRequest(canonicalBytes: request).body).start, writer)
        }
        let context = try NodeContext(configuration: configuration)
        // Admit the channel's members, as an orderer that joined the channel does.
        try context.admission.update(channels: [try GenesisBlock.check(genesis()).channel])
        servers.add(try await RPCServer.start(
            configuration: RPCServerConfiguration(host: address.host, port: address.port, handshakeTimeout: .seconds(60)),
            security: context.security, routes: routes, authorize: context.authorizer))
    }

    /// Starts `weft peer start` on the peer's configuration; its output goes to `peer.log`.
    func startPeer() throws {
        let config = folder.appendingPathComponent(try #require(state.nodes.first { $0.role == .peer }).config).path
        process.set(try WeftProcess.spawn(["peer", "start", "--config", config], log: peerLogPath))
    }

    var peerLogPath: String { folder.appendingPathComponent("peer-under-test.log").path }

    func peerLog() throws -> String { try String(contentsOfFile: peerLogPath, encoding: .utf8) }

    func gateway() throws -> Gateway {
        let profile = try ConnectionProfile.load(path: folder.appendingPathComponent("profile.yaml").path)
        return try Gateway(profile: profile, identityFolder: profile.identity ?? "")
    }

    func signingIdentity(_ configuration: NodeConfiguration) throws -> SigningIdentity {
        try SigningIdentity.load(from: URL(fileURLWithPath: configuration.identity))
    }

    /// The channel's genesis block, as `weft network init` wrote it.
    func genesis() throws -> Block {
        try Block(canonicalBytes: [UInt8](Data(contentsOf: folder.appendingPathComponent("channels/mychannel.block"))))
    }

    /// `count` blocks from block 0: the genesis block, then blocks linked on it, each with one envelope,
    /// signed by orderer1.
    func goodChain(count: Int) throws -> [Block] {
        let signer = try signingIdentity(orderers[1])
        let genesis = try genesis()
        var previous = genesis.header.hash
        return try [genesis] + (1..<count).map { number in
            let block = try Self.block(UInt64(number), previousHash: previous, data: [Array("good block \(number)".utf8)], signer: signer)
            previous = block.header.hash
            return block
        }
    }

    /// Who signs a faulty block: orderer0 (its signature then corrupted), the peer, and orderer0's own
    /// key under a certificate from the orderer organization's CA that expired an hour ago (so only the
    /// certificate's validity is wrong: a pinned consenter key still matches).
    struct FaultySigners: Sendable {
        let orderer: SigningIdentity
        let peer: SigningIdentity
        let expiredOrderer: SigningIdentity
    }

    func faultySigners() throws -> FaultySigners {
        let orderer = try signingIdentity(orderers[0])
        let caFolder = folder.appendingPathComponent("crypto/ordererOrganizations/orderer/ca")
        let ca = try CertificateAuthority(
            certificate: Certificate(pemRepresentation: String(contentsOf: caFolder.appendingPathComponent("ca.orderer.pem"), encoding: .utf8)),
            signingKey: P256SigningKey(pemRepresentation: String(contentsOf: caFolder.appendingPathComponent("ca.orderer.key"), encoding: .utf8)))
        let expired = try ca.issue(CertificateTemplate(
            subject: orderer.certificate.subject, publicKey: orderer.signingKey.publicKey,
            notBefore: Date().addingTimeInterval(-7200), notAfter: Date().addingTimeInterval(-3600)))
        return FaultySigners(
            orderer: orderer, peer: try signingIdentity(peer),
            expiredOrderer: try SigningIdentity(mspID: orderer.mspID, certificate: expired, signingKey: orderer.signingKey))
    }

    /// Block `number` of the rogue orderer: linked to the good chain, its data its own, signed with `fault`.
    func rogueBlock(_ number: UInt64, previousHash: [UInt8], fault: PeerBlockSourceTests.Fault, signers: FaultySigners) throws -> Block {
        let data = [Array("rogue block \(number): \(fault)".utf8)]
        switch fault {
        case .corruptedSignature:
            var block = try Self.block(number, previousHash: previousHash, data: data, signer: signers.orderer)
            block.metadata.ordererSignatures[0].signature[8] ^= 0xff
            return block
        case .signedByAPeer:
            return try Self.block(number, previousHash: previousHash, data: data, signer: signers.peer)
        case .expiredOrdererCertificate:
            return try Self.block(number, previousHash: previousHash, data: data, signer: signers.expiredOrderer)
        }
    }

    static func block(_ number: UInt64, previousHash: [UInt8], data: [[UInt8]], signer: SigningIdentity) throws -> Block {
        let header = Block(number: number, previousHash: previousHash, data: data).header
        return Block(header: header, data: data, metadata: BlockMetadata(
            ordererSignatures: [BlockSignature(signer: signer.serialized, signature: try signer.signature(for: header.hash))]))
    }
}

/// The servers a fixture started, for its tear-down.
///
/// `@unchecked Sendable`: `servers` is only touched under `lock`.
final class ServerList: @unchecked Sendable {
    private let lock = NSLock()
    private var servers: [RPCServer] = []

    func add(_ server: RPCServer) {
        lock.lock()
        servers.append(server)
        lock.unlock()
    }

    var all: [RPCServer] {
        lock.lock()
        defer { lock.unlock() }
        return servers
    }
}

/// The pid of a process a fixture started, for its tear-down.
///
/// `@unchecked Sendable`: `pid` is only touched under `lock`.
final class ProcessSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: Int32?

    func set(_ pid: Int32) {
        lock.lock()
        self.pid = pid
        lock.unlock()
    }

    func take() -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        let taken = pid
        pid = nil
        return taken
    }
}
