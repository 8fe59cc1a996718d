import ArgumentParser
import Ledger
import WeftCore
import WeftCrypto
import WeftNode

/// `weft channel config`: a channel's configuration as its members read it from the chain.
struct ChannelConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Show a channel's configuration (its genesis block) as a member reads it from a peer.",
        discussion: """
        Organizations with their roles, CA certificates and anchor peers, the consenters with their Raft \
        ids and pinned keys, the policies, chaincodes, batch and Raft settings, and who signed it. Needs \
        the channel's Readers policy.

        Example:
          weft channel config --dir ./weft-net --channel ch2 --json
        """)

    @OptionGroup var client: ClientOptions

    struct Output: Encodable {
        struct Organization: Encodable {
            var name: String
            var mspID: String
            var roles: [String]
            var caCertificates: [String]
            var tlsCACertificates: [String]
            var anchorPeers: [String]
        }

        struct Consenter: Encodable {
            var name: String
            var mspID: String
            var raftID: UInt64
            var address: String
            var tlsKeySHA256: String
            var signingKeySHA256: String
        }

        var channel: String
        var block: UInt64
        var blockHash: String
        var organizations: [Organization]
        var consenters: [Consenter]
        var policies: [String: String]
        var chaincodes: [String: String]
        var batch: [String: UInt32]
        var raft: [String: UInt32]
        var signedBy: [String]
    }

    func run() async throws {
        guard case .block(let found) = try await client.run(.block(0)), let block = found else {
            throw CLIFailure(.other, "the peer has no block 0 of this channel (joined by snapshot?): ask another peer with --peer")
        }
        let entry: ConfigTransaction
        let config: ChannelConfig
        do {
            entry = try ConfigTransaction(canonicalBytes: block.data.first ?? [])
            config = try entry.config()
        } catch {
            throw CLIFailure(.other, "block 0 holds no channel configuration: \(error)")
        }
        let output = Output(
            channel: config.name, block: block.number, blockHash: Hex.encode(block.header.hash),
            organizations: config.organizations.map { organization in
                .init(name: organization.name, mspID: organization.mspID, roles: organization.roles,
                      caCertificates: organization.caCertificates.map(Self.subject),
                      tlsCACertificates: organization.tlsCACertificates.map(Self.subject),
                      anchorPeers: organization.anchorPeers.map { "\($0.name) \($0.address)" })
            },
            consenters: config.consenters.map { consenter in
                .init(name: consenter.name, mspID: consenter.mspID, raftID: consenter.raftID, address: consenter.address,
                      tlsKeySHA256: Self.keyPin(consenter.tlsCertificate), signingKeySHA256: Self.keyPin(consenter.signingCertificate))
            },
            policies: ["Readers": config.policies.readers, "Writers": config.policies.writers, "Admins": config.policies.admins,
                       "BlockValidation": config.policies.blockValidation, "Endorsement": config.policies.endorsement],
            chaincodes: Dictionary(config.chaincodes.map { ($0.name, $0.policy) }, uniquingKeysWith: { first, _ in first }),
            batch: ["maxTxCount": config.batch.maxTxCount, "preferredMaxBytes": config.batch.preferredMaxBytes,
                    "absoluteMaxBytes": config.batch.absoluteMaxBytes, "timeoutMilliseconds": config.batch.timeoutMilliseconds],
            raft: ["tickMilliseconds": config.raft.tickMilliseconds, "electionTicks": config.raft.electionTicks],
            signedBy: entry.signatures.map { "\($0.signer.mspID) \(Self.subject($0.signer.certificate))" })
        try QueryOutput.emit(output, json: client.json, lines: Self.lines(output))
    }

    static func subject(_ der: [UInt8]) -> String {
        (try? Certificate(derRepresentation: der)).map { "\($0.subject)" } ?? "(unparsable certificate)"
    }

    static func keyPin(_ der: [UInt8]) -> String {
        (try? Certificate(derRepresentation: der)).map(ConsenterPin.keySHA256(of:)) ?? ""
    }

    static func lines(_ output: Output) -> [String] {
        var lines = ["channel \(output.channel) (block \(output.block), \(output.blockHash))", "organizations:"]
        for organization in output.organizations {
            lines.append("  \(organization.name) \(organization.mspID) roles \(organization.roles.joined(separator: ","))"
                + (organization.anchorPeers.isEmpty ? "" : "  anchor peers: " + organization.anchorPeers.joined(separator: ", ")))
        }
        lines.append("consenters:")
        for consenter in output.consenters {
            lines.append("  \(consenter.raftID) \(consenter.name) \(consenter.address) \(consenter.mspID) tls key \(consenter.tlsKeySHA256.prefix(16))…")
        }
        lines.append("policies: " + output.policies.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; "))
        lines.append("chaincodes: " + output.chaincodes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; "))
        lines.append("batch: " + output.batch.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        lines.append("signed by: " + (output.signedBy.isEmpty ? "nobody (approved by each node's admin at join)" : output.signedBy.joined(separator: "; ")))
        return lines
    }
}
