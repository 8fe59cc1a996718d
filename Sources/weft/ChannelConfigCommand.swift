import ArgumentParser
import Ledger
import WeftCore
import WeftCrypto
import WeftNode
import WeftCommandLine

/// `weft channel config`: a channel's configuration as its members read it from the chain.
struct ChannelConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Show a channel's configuration as a member reads it from a peer: in force, at a block, or its history.",
        discussion: """
        Organizations with their roles, CA certificates and anchor peers, the consenters with their Raft \
        ids and pinned keys, the policies, chaincodes, batch and Raft settings, its version, the block \
        that set it and the administrators who signed it. --block N shows the configuration in force at \
        block N; --history every version, oldest first, for an audit. Needs the channel's Readers policy.

        Examples:
          weft channel config --dir ./weft-net --channel ch2 --json
          weft channel config --dir ./weft-net --channel mychannel --history
        """)

    @OptionGroup var client: ClientOptions
    @Option(help: "Show the configuration in force at this block.") var block: UInt64?
    @Flag(help: "Show every version of the configuration, oldest first.") var history = false

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
        var version: UInt64
        var block: UInt64
        /// The hash of the block that set this version.
        var blockHash: String
        var txID: String
        var organizations: [Organization]
        var consenters: [Consenter]
        var policies: [String: String]
        var chaincodes: [String: String]
        var batch: [String: UInt32]
        var raft: [String: UInt32]
        var signedBy: [String]
    }

    func validate() throws {
        if history, block != nil { throw ValidationError("--history lists every version; drop --block") }
    }

    func run() async throws {
        let versions = try await self.versions()
        if history {
            var outputs: [Output] = []
            for version in versions { outputs.append(try Self.output(version.entry, block: version.block, hash: try await blockHash(version.block))) }
            if client.json {
                try JSONOutput.print(outputs)
            } else {
                for output in outputs { print("version \(output.version) at block \(output.block) (\(output.txID.prefix(16))…), signed by \(Self.signers(output))") }
            }
            return
        }
        let chosen = block.map { number in versions.last { $0.block <= number } } ?? versions.last
        guard let chosen else { throw CLIFailure(.other, "no configuration is recorded at or before block \(block ?? 0)") }
        let output = try Self.output(chosen.entry, block: chosen.block, hash: try await blockHash(chosen.block))
        try QueryOutput.emit(output, json: client.json, lines: Self.lines(output))
    }

    /// Every version of the configuration the peer recorded, oldest first, with the block that set it:
    /// the genesis block's, then each valid update's (the history of the `_config` record).
    private func versions() async throws -> [(entry: ConfigTransaction, block: UInt64)] {
        var versions: [(entry: ConfigTransaction, block: UInt64)] = []
        if case .block(let found) = try await client.run(.block(0)), let genesis = found,
           let entry = try? ConfigTransaction(canonicalBytes: genesis.data.first ?? []) {
            versions.append((entry, 0))
        }
        var bookmark = ""
        repeat {
            guard case let .history(changes, next, _) = try await client.run(
                .history(namespace: "_config", key: "channel", newestFirst: false, pageSize: 100, bookmark: bookmark)) else {
                throw CLIFailure(.other, "unexpected answer to a history query")
            }
            for change in changes {
                guard let value = change.value, let entry = try? ConfigTransaction(canonicalBytes: value) else { continue }
                versions.append((entry, change.version.blockNumber))
            }
            bookmark = next
        } while !bookmark.isEmpty
        guard !versions.isEmpty else {
            throw CLIFailure(.other, "the peer holds no configuration of this channel (joined by snapshot before any update?): ask another peer with --peer")
        }
        return versions
    }

    /// The hash of block `number` (empty when the peer no longer holds it: pruned, or before its snapshot).
    private func blockHash(_ number: UInt64) async throws -> String {
        guard case .block(let found) = try? await client.run(.block(number)), let block = found else { return "" }
        return Hex.encode(block.header.hash)
    }

    static func output(_ entry: ConfigTransaction, block: UInt64, hash: String) throws -> Output {
        let config: ChannelConfig
        do { config = try entry.config() } catch {
            throw CLIFailure(.other, "the configuration of block \(block) does not decode: \(error)")
        }
        return Output(
            channel: config.name, version: config.sequence, block: block, blockHash: hash, txID: entry.txID,
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
    }

    static func signers(_ output: Output) -> String {
        output.signedBy.isEmpty ? "nobody (approved by each node's admin at join)" : output.signedBy.joined(separator: "; ")
    }

    static func subject(_ der: [UInt8]) -> String {
        (try? Certificate(derRepresentation: der)).map { "\($0.subject)" } ?? "(unparsable certificate)"
    }

    static func keyPin(_ der: [UInt8]) -> String {
        (try? Certificate(derRepresentation: der)).map(ConsenterPin.keySHA256(of:)) ?? ""
    }

    static func lines(_ output: Output) -> [String] {
        var lines = ["channel \(output.channel) (block \(output.block), \(output.blockHash)): configuration version \(output.version), tx \(output.txID.prefix(16))…", "organizations:"]
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
        lines.append("signed by: " + signers(output))
        return lines
    }
}
