#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftCrypto

/// The checks an orderer runs on every broadcast envelope before ordering it, in this order (the
/// cheapest first, so that junk costs little):
///
/// 1. size: at most `absoluteMaxBytes` (413 REQUEST_ENTITY_TOO_LARGE), not empty (400 BAD_REQUEST);
/// 2. form: the bytes decode as an `Envelope` holding a `Transaction` whose signed proposal decodes (400);
/// 3. channel: the proposal header names this orderer's channel (404 NOT_FOUND);
/// 4. time: the proposal timestamp lies within `timestampSkew` of the orderer's clock (400) — peers
///    validate certificates at the transaction's timestamp, so the orderer must bound it;
/// 5. creator: a valid identity at the orderer's clock, with role `client` (403 FORBIDDEN with the reason),
///    of one of the channel's writer organizations (403);
/// 6. signature: the envelope signature verifies over the payload with the creator's certificate, by
///    the ledger's rules — canonical DER, low S (403).
///
/// Endorsements are not checked here: that is the committing peers' job (Fabric's split). A value type,
/// safe to run on many threads at once (identity results are cached by the shared `IdentityValidator`).
public struct BroadcastCheck: Sendable {
    /// The channel this orderer serves.
    public var channelID: String
    /// The largest envelope accepted, in bytes (the channel's `BatchLimits.absoluteMaxBytes`).
    public var absoluteMaxBytes: Int
    /// Validates creators against the channel's organizations.
    public var validator: IdentityValidator
    /// The MSP ids of the organizations whose clients may write to the channel.
    public var writerMSPIDs: Set<String>
    /// How far a proposal timestamp may be from the orderer's clock, either way (default 10 minutes).
    public var timestampSkew: Duration
    /// The orderer's wall clock.
    public var now: @Sendable () -> Date
    /// Checks a configuration update (an entry `ConfigTransaction.isEntry` recognizes) against the
    /// channel's configuration in force and returns its transaction id; nil refuses every update.
    public var configurationCheck: (@Sendable ([UInt8]) throws(BroadcastRejection) -> String)?

    /// The default bound on timestamp skew: ±10 minutes.
    public static let defaultTimestampSkew = Duration.seconds(600)

    /// Creates the checks of one channel.
    public init(
        channelID: String, absoluteMaxBytes: Int, validator: IdentityValidator, writerMSPIDs: Set<String>,
        timestampSkew: Duration = BroadcastCheck.defaultTimestampSkew, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.channelID = channelID
        self.absoluteMaxBytes = absoluteMaxBytes
        self.validator = validator
        self.writerMSPIDs = writerMSPIDs
        self.timestampSkew = timestampSkew
        self.now = now
    }

    /// What an accepted envelope claimed.
    public struct Accepted: Hashable, Sendable {
        /// The transaction id from the proposal header.
        public var txID: String
        /// The creator's MSP id (empty for a configuration update: its administrators' signatures
        /// authorize it).
        public var creatorMSPID: String
        /// Whether it is a configuration update, to be ordered in a block of its own.
        public var isConfiguration = false
    }

    /// Runs every check on `bytes`; returns what the envelope claims, or throws the refusal.
    public func check(_ bytes: [UInt8]) throws(BroadcastRejection) -> Accepted {
        guard bytes.count <= absoluteMaxBytes else {
            throw BroadcastRejection(.requestEntityTooLarge,
                "the envelope has \(bytes.count) bytes, more than the channel's absolute maximum of \(absoluteMaxBytes)")
        }
        guard !bytes.isEmpty else { throw BroadcastRejection(.badRequest, "the envelope is empty") }
        if ConfigTransaction.isEntry(bytes) {
            guard let configurationCheck else {
                throw BroadcastRejection(.badRequest, "channel '\(channelID)' takes no configuration updates on this orderer")
            }
            return Accepted(txID: try configurationCheck(bytes), creatorMSPID: "", isConfiguration: true)
        }
        let envelope: Envelope
        let header: ProposalHeader
        do {
            envelope = try Envelope(canonicalBytes: bytes)
            header = try envelope.transaction().signedProposal.proposal().header
        } catch {
            throw BroadcastRejection(.badRequest, "malformed envelope: \(error)")
        }
        guard header.channelID == channelID else {
            throw BroadcastRejection(.notFound, "this orderer serves channel '\(channelID)', not '\(header.channelID)'")
        }
        let now = self.now()
        try checkTimestamp(header.timestamp, now: now)
        let creator: ValidatedIdentity
        switch validator.validateCreator(header.creator, at: now) {
        case .success(let validated):
            creator = validated
        case .failure(let failure):
            throw BroadcastRejection(.forbidden, "the creator (\(header.creator.mspID)) may not submit: \(failure)")
        }
        guard writerMSPIDs.contains(creator.mspID) else {
            throw BroadcastRejection(.forbidden,
                "\(creator) may not write to channel '\(channelID)': its organization is not among the writers "
                    + writerMSPIDs.sorted().joined(separator: ", "))
        }
        guard creator.publicKey.isValidSignature(envelope.signature, for: envelope.payload) else {
            throw BroadcastRejection(.forbidden,
                "the envelope signature does not verify with the certificate of \(creator) (canonical DER, low S required)")
        }
        return Accepted(txID: header.txID, creatorMSPID: creator.mspID)
    }

    private func checkTimestamp(_ timestamp: Int64, now: Date) throws(BroadcastRejection) {
        let nowMilliseconds = (now.timeIntervalSince1970 * 1000).rounded()
        let skewMilliseconds = Double(timestampSkew.components.seconds) * 1000
            + Double(timestampSkew.components.attoseconds) / 1e15
        let difference = Double(timestamp) - nowMilliseconds
        guard abs(difference) > skewMilliseconds else { return }
        let direction = difference < 0 ? "behind" : "ahead of"
        throw BroadcastRejection(.badRequest,
            "the transaction timestamp (\(timestamp) ms since 1970) is \(Self.describe(milliseconds: abs(difference))) "
                + "\(direction) the orderer's clock; at most ±\(Self.describe(milliseconds: skewMilliseconds)) is accepted")
    }

    /// `15 min 3 s`, `2 s`, `0.250 s`.
    static func describe(milliseconds: Double) -> String {
        let seconds = milliseconds / 1000
        if seconds < 60 { return seconds < 10 ? "\(seconds.fixed(3)) s" : "\(Int(seconds)) s" }
        let whole = Int(seconds)
        return whole % 60 == 0 ? "\(whole / 60) min" : "\(whole / 60) min \(whole % 60) s"
    }
}
