#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import WeftCore
import WeftCrypto

/// Validates identities on the hot path, remembering what it found per identity (certificate DER →
/// validated identity with its parsed public key).
///
/// A remembered success is reused while the validation time lies within the certificate chain's
/// validity window; outside it the identity is validated afresh (so an expired certificate is
/// reported as expired). Failures that do not depend on time (unknown organization, malformed,
/// another CA, revoked, no role) are remembered too. At most `capacity` identities are held, in two
/// generations like `VerifyingKeyCache`.
///
/// `@unchecked Sendable`: the cache is only touched under `lock`; `membership` is immutable.
public final class IdentityValidator: @unchecked Sendable {
    /// The organizations this validator accepts.
    public let membership: Membership

    private enum Entry {
        case valid(ValidatedIdentity, window: ClosedRange<Date>)
        case invalid(IdentityValidationFailure)
    }

    private let generationSize: Int
    private let lock = NIOLock()
    private var current: [SerializedIdentity: Entry] = [:]
    private var previous: [SerializedIdentity: Entry] = [:]

    /// A validator for `membership` remembering at most `capacity` identities.
    public init(membership: Membership, capacity: Int = 10_000) {
        self.membership = membership
        self.generationSize = max(1, capacity / 2)
    }

    /// Validates `identity` at `time` and, when `role` is given, requires the identity to have it.
    public func validate(
        _ identity: SerializedIdentity,
        at time: Date,
        requiring role: Role? = nil
    ) -> Result<ValidatedIdentity, IdentityValidationFailure> {
        let result = validateMember(identity, at: time)
        guard let role, case .success(let validated) = result, !validated.hasRole(role) else { return result }
        return .failure(.wrongRole(expected: role, actual: validated.role))
    }

    /// Validates a transaction's creator at `time`: a client, or an administrator of its organization
    /// (who submits the chaincode lifecycle's approvals and commits, as Fabric's Writers default allows).
    public func validateCreator(_ identity: SerializedIdentity, at time: Date) -> Result<ValidatedIdentity, IdentityValidationFailure> {
        let result = validateMember(identity, at: time)
        guard case .success(let validated) = result, !validated.hasRole(.client), !validated.hasRole(.admin) else { return result }
        return .failure(.wrongRole(expected: .client, actual: validated.role))
    }

    /// How many identities are remembered now.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return current.count + previous.count
    }

    private func validateMember(_ identity: SerializedIdentity, at time: Date) -> Result<ValidatedIdentity, IdentityValidationFailure> {
        switch lookup(identity) {
        case .valid(let validated, let window)? where window.contains(time):
            return .success(validated)
        case .invalid(let failure)?:
            return .failure(failure)
        case .valid?, nil:
            break
        }
        let result = membership.validate(identity, at: time)
        switch result {
        case .success(let validated):
            if let window = membership.validityWindow(of: validated.certificate, mspID: identity.mspID) {
                remember(.valid(validated, window: window), for: identity)
            }
        case .failure(.expired), .failure(.notYetValid):
            break   // depends on the time asked about; never remembered
        case .failure(let failure):
            remember(.invalid(failure), for: identity)
        }
        return result
    }

    private func lookup(_ identity: SerializedIdentity) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        if let hit = current[identity] { return hit }
        guard let promoted = previous.removeValue(forKey: identity) else { return nil }
        insertLocked(promoted, for: identity)
        return promoted
    }

    private func remember(_ entry: Entry, for identity: SerializedIdentity) {
        lock.lock()
        defer { lock.unlock() }
        insertLocked(entry, for: identity)
    }

    private func insertLocked(_ entry: Entry, for identity: SerializedIdentity) {
        if current.count >= generationSize, current[identity] == nil {
            previous = current
            current = [:]
        }
        current[identity] = entry
    }
}
