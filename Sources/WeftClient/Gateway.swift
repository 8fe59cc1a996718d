#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import NIOCore
import WeftProtocol
import WeftCore
import WeftCrypto
import WeftRPC
import Wire

/// What `submit` reports: where the transaction landed and what the peers decided.
public struct SubmitResult: Sendable, Hashable {
    public var txID: String
    public var blockNumber: UInt64
    public var code: ValidationCode
    /// The chaincode's response payload (from the endorsements).
    public var payload: [UInt8]
    /// The chaincode event the transaction set, if any (from the endorsements; for `evm`, its logs).
    public var event: ChaincodeEvent?
}

/// An application's connection to a Weft network: submits transactions (endorse at a peer of every
/// organization, broadcast, wait for the commit event), evaluates queries, reads ledgers and streams
/// events, as the caller's identity.
public final class Gateway: Sendable {
    public let profile: ConnectionProfile
    public let identity: SigningIdentity
    let builder: TransactionBuilder
    let pool: ConnectionPool
    let listener = CommitListener()
    let ordererPreference = OrdererPreference()

    /// Connects lazily: nothing is dialled until the first call.
    ///
    /// - Parameters:
    ///   - identity: signs proposals and transactions.
    ///   - tls: the caller's TLS certificate and key (issued by its organization's TLS CA), presented
    ///     on every connection.
    public init(profile: ConnectionProfile, identity: SigningIdentity, tls: RPCCredentials) throws {
        self.profile = profile
        self.identity = identity
        builder = TransactionBuilder(identity: identity, channelID: profile.channel)
        let organizations = try profile.organizations.map { try Organization.load(mspDirectory: URL(fileURLWithPath: $0)) }
        let membership = try Membership(organizations: organizations, ordererMSPIDs: profile.ordererMSPIDs)
        pool = ConnectionPool(security: try RPCTransportSecurity(credentials: tls), membership: membership)
    }

    /// A gateway acting as the identity in `identityFolder` (as `weft crypto generate` writes it:
    /// `cert.pem`, `key.pem`, `identity.json`, and the TLS pair in `tls/`).
    public convenience init(profile: ConnectionProfile, identityFolder: String) throws {
        let folder = URL(fileURLWithPath: identityFolder)
        try self.init(
            profile: profile, identity: try SigningIdentity.load(from: folder),
            tls: try RPCCredentials.load(
                certificateFile: folder.appendingPathComponent("tls/cert.pem").path,
                keyFile: folder.appendingPathComponent("tls/key.pem").path))
    }

    /// `body` addressed to the gateway's channel (`profile.channel`).
    func scoped(_ body: [UInt8]) -> [UInt8] { ChannelRequest(channel: profile.channel, body: body).canonicalBytes }

    /// Closes every connection.
    public func close() async {
        await listener.stop()
        await pool.closeAll()
    }

    /// How often the commit-event stream that `submit` waits on ended and was reopened (from the block
    /// after the last one seen, so no outcome is lost), and why it last ended: a health figure for
    /// long-running clients.
    public var commitStreamReopenings: (count: Int, lastReason: String?) {
        get async { (await listener.reopenings, await listener.lastEnd) }
    }

    /// The peers a query goes to by default: `peer` by name, else the caller's organization's first, then the rest.
    func peers(preferring peer: String? = nil) throws(GatewayError) -> [ConnectionProfile.Peer] {
        if let peer {
            guard let named = profile.peers.first(where: { $0.name == peer }) else {
                throw .badProfile("no peer named \(peer) (peers: \(profile.peers.map(\.name).joined(separator: ", ")))")
            }
            return [named]
        }
        let peers = profile.peers(of: profile.channel)
        let own = peers.filter { $0.mspID == identity.mspID }
        return own + peers.filter { $0.mspID != identity.mspID }
    }

    /// Calls the first of `peers` that answers.
    func callPeer(_ peers: [ConnectionProfile.Peer], _ type: MessageType, _ body: [UInt8], timeout: TimeAmount? = nil) async throws(GatewayError) -> [UInt8] {
        var lastError = GatewayError.badProfile("the profile lists no peers")
        for peer in peers {
            do {
                let client = try await pool.client(name: peer.name, address: peer.address, role: .peer)
                return try await client.call(type, scoped(body), timeout: timeout)
            } catch let error as GatewayError {
                lastError = error
            } catch let error as RPCError {
                switch error.code {
                case .permissionDenied: lastError = .refused(node: peer.name, address: peer.address, reason: error.description)
                case .unauthenticated: lastError = .unreachable(node: peer.name, address: peer.address, reason: error.description)
                default: lastError = .protocolError("\(peer.name): \(error)")
                }
                if error.code != .unavailable && error.code != .deadlineExceeded { break }
            } catch {
                lastError = .unreachable(node: peer.name, address: peer.address, reason: "\(error)")
            }
        }
        throw lastError
    }

    /// Runs a ledger query at a peer.
    public func query(_ query: LedgerQuery, peer: String? = nil) async throws(GatewayError) -> LedgerQueryResult {
        let bytes = try await callPeer(try peers(preferring: peer), .ledgerQuery, query.canonicalBytes)
        do {
            return try LedgerQueryResult(canonicalBytes: bytes)
        } catch {
            throw .protocolError("ledger query result: \(error)")
        }
    }

    /// Simulates a function at one peer without ordering it; returns the chaincode's response.
    public func evaluate(
        chaincode: String, function: String, arguments: [[UInt8]], peer: String? = nil
    ) async throws(GatewayError) -> ChaincodeResponse {
        let proposal: SignedProposal
        do {
            proposal = try builder.proposal(chaincode: chaincode, function: function, arguments: arguments)
        } catch {
            throw .protocolError("could not sign the proposal: \(error)")
        }
        let bytes = try await callPeer(try peers(preferring: peer), .evaluate, proposal.canonicalBytes)
        guard let response = try? ProposalResponse(canonicalBytes: bytes) else { throw .protocolError("evaluate response") }
        if response.payloadBytes.isEmpty {
            return ChaincodeResponse(status: response.status, message: response.message)
        }
        guard let payload = try? response.payload() else { throw .protocolError("evaluate payload") }
        return payload.response
    }

    /// Commit events from block `start` on, from the first peer that accepts a connection (`peer`, or
    /// the caller's organization first, then the rest).
    public func events(from start: UInt64, peer: String? = nil) async throws(GatewayError) -> RPCResponseStream {
        try await stream(.commitEvents, StreamStart(start: start).canonicalBytes, peer: peer)
    }

    /// The events of `chaincode` from block `start` on, filtered by the peer (`chaincodeEvents`,
    /// docs/wire.md): each item a `BlockEvents` with only the valid transactions that set one.
    public func chaincodeEvents(_ chaincode: String, from start: UInt64, peer: String? = nil) async throws(GatewayError) -> RPCResponseStream {
        try await stream(.chaincodeEvents, ChaincodeEventsRequest(chaincode: chaincode, start: start).canonicalBytes, peer: peer)
    }

    /// A `type` stream with `body`, from the first peer that accepts a connection (`peer`, or the
    /// caller's organization first, then the rest).
    private func stream(_ type: MessageType, _ body: [UInt8], peer: String?) async throws(GatewayError) -> RPCResponseStream {
        var lastError = GatewayError.badProfile("the profile lists no peers")
        for target in try peers(preferring: peer) {
            do throws(GatewayError) {
                let client = try await pool.client(name: target.name, address: target.address, role: .peer)
                return client.stream(type, scoped(body))
            } catch {
                lastError = error
            }
        }
        throw lastError
    }
}

extension Gateway {
    /// The state of orderer `name` (height, leader, term).
    public func ordererStatus(_ name: String) async throws(GatewayError) -> OrdererStatusReport {
        guard let orderer = profile.orderers.first(where: { $0.name == name }) else {
            throw .badProfile("no orderer named \(name)")
        }
        do {
            let client = try await pool.client(name: orderer.name, address: orderer.address, role: .orderer)
            return try await client.call(.ordererStatus, scoped([]), timeout: .seconds(5)).decoded(as: OrdererStatusReport.self)
        } catch let error as GatewayError {
            throw error
        } catch {
            throw .unreachable(node: orderer.name, address: orderer.address, reason: "\(error)")
        }
    }
}

private extension Array where Element == UInt8 {
    func decoded<T: CanonicalDecodable>(as type: T.Type) throws -> T { try T(canonicalBytes: self) }
}
