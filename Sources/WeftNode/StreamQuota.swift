import NIOConcurrencyHelpers
import WeftCrypto
import WeftRPC

/// Caps the server streams one identity (one TLS key) may hold open on a node, so that a member
/// cannot pin memory and tasks with hundreds of streams it never reads. Thread-safe.
final class StreamQuota: Sendable {
    /// The default cap: more than any client needs (a gateway holds one commit-event stream).
    static let defaultPerIdentity = 16

    let perIdentity: Int
    private let open = NIOLockedValueBox<[P256VerifyingKey: Int]>([:])

    init(perIdentity: Int) { self.perIdentity = perIdentity }

    /// Takes a slot for `caller`; false when it holds `perIdentity` already.
    func acquire(for caller: Caller) -> Bool {
        open.withLockedValue { counts in
            let key = caller.certificate.publicKey
            guard counts[key, default: 0] < perIdentity else { return false }
            counts[key, default: 0] += 1
            return true
        }
    }

    /// Gives back the slot `acquire` took.
    func release(for caller: Caller) {
        open.withLockedValue { counts in
            let key = caller.certificate.publicKey
            let left = counts[key, default: 1] - 1
            counts[key] = left > 0 ? left : nil
        }
    }
}
