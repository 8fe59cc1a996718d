import AssetTransfer
import Committer
import Endorser
import Execution
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import Ledger
import WeftClient
import WeftCore
import WeftCrypto
import WeftCommandLine

/// A two-organization channel on generated crypto material, for benchmarks: endorsers of Org1 and
/// Org2, a client of Org1, an orderer identity to sign blocks, and committers on demand.
struct BenchChannel {
    static let channelID = "bench"
    static let policy = "AND('Org1.peer','Org2.peer')"

    let validator: IdentityValidator
    let client: TransactionBuilder
    let orderer: SigningIdentity
    let endorsers: [Endorser]

    init(folder: URL) throws {
        let specification = CryptoSpecification(
            peerOrganizations: [.init(name: "Org1", peers: 1, users: 1), .init(name: "Org2", peers: 1, users: 1)],
            ordererOrganization: .init(orderers: 1))
        let material = try CryptoMaterialGenerator.generate(specification, into: folder.appendingPathComponent("crypto"))
        let root = folder.appendingPathComponent("crypto")
        func identity(_ org: String, _ role: Role) throws -> SigningIdentity {
            guard let generated = material.organization(org)?.identities.first(where: { $0.role == role }) else {
                throw CLIFailure(.other, "generated material lacks a \(role) of \(org)")
            }
            return try SigningIdentity.load(from: root.appendingPathComponent(generated.path))
        }
        let organizations = try material.organizations.map { try Organization.load(mspDirectory: root.appendingPathComponent($0.mspPath)) }
        let validator = IdentityValidator(membership: try Membership(organizations: organizations))
        self.validator = validator
        client = TransactionBuilder(identity: try identity("Org1", .client), channelID: Self.channelID)
        orderer = try identity("Orderer", .orderer)
        let registry = ChaincodeRegistry([InstalledChaincode(name: AssetTransfer.name, chaincode: AssetTransfer(), endorsementPolicy: Self.policy)])
        endorsers = try ["Org1", "Org2"].map { org in
            let ledger = try Ledger.open(path: folder.appendingPathComponent("endorser-\(org).sqlite").path)
            return Endorser(configuration: .init(channelID: Self.channelID, signer: try identity(org, .peer),
                                                 validator: validator, registry: registry, ledger: ledger))
        }
    }

    /// `count` signed blocks of `perBlock` endorsed CreateAsset transactions (each reads one absent key
    /// and writes it), numbered from `first` and chained to `previousHash` (by default from block 0).
    func endorsedBlocks(count: Int, perBlock: Int, first: Int = 0,
                        previousHash: [UInt8] = BlockHeader.genesisPreviousHash) throws -> [Block] {
        var blocks: [Block] = []
        var previousHash = previousHash
        for number in first..<(first + count) {
            let envelopes = try (0..<perBlock).map { index in
                let id = "asset-\(number)-\(index)"
                let proposal = try client.proposal(chaincode: AssetTransfer.name, function: "CreateAsset",
                                                   [id, "blue", "5", "owner\(index % 50)", "300"])
                return try client.envelope(for: proposal, responses: endorsers.map { $0.endorse(proposal) }).canonicalBytes
            }
            var block = Block(number: UInt64(number), previousHash: previousHash, data: envelopes)
            block.metadata.ordererSignatures = [BlockSignature(signer: orderer.serialized, signature: try orderer.signature(for: block.header.hash))]
            blocks.append(block)
            previousHash = block.header.hash
        }
        return blocks
    }

    /// A committer for the channel over a new ledger at `ledgerPath`.
    func committer(ledgerPath: String) throws -> Committer {
        try committer(ledger: try Ledger.open(path: ledgerPath))
    }

    /// A committer for the channel over `ledger`.
    func committer(ledger: Ledger) throws -> Committer {
        let policy = try EndorsementPolicy(Self.policy)
        return Committer(configuration: .init(
            ledger: ledger,
            transactionCheck: TransactionCheck(channelID: Self.channelID, validator: validator,
                                               policies: [AssetTransfer.name: policy]),
            blockSignatureCheck: BlockSignatureCheck(validator: validator, policy: try EndorsementPolicy("ANY orderer"))))
    }

    /// Submits `blocks` (numbered on from the committer's height) and waits until they are committed;
    /// throws if the committer turns unhealthy meanwhile.
    static func commit(_ blocks: [Block], with committer: Committer) async throws {
        guard let last = blocks.last else { return }
        for block in blocks { try await committer.submit(block) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await committer.waitUntil(height: last.header.number + 1) }
            group.addTask {
                for await health in await committer.healthChanges() where !health.isHealthy {
                    throw CLIFailure(.other, "commit failed: \(health)")
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Ledger-verify operations per second on `threads` threads, as the committer does them (one key,
    /// varying messages).
    static func measureVerify(threads: Int, seconds: Double) -> Double {
        guard let ecdsa = try? ECDSAThroughput() else { return 0 }
        return ThroughputMeter.measure(threads: threads, seconds: seconds, operation: ecdsa.verify).perSecond
    }
}
