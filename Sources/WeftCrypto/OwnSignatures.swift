import NIOConcurrencyHelpers

/// The latest signatures a node made with its own key, so that checking one of them again — a peer
/// committing a transaction that carries the endorsement it signed itself a moment ago — costs a
/// lookup instead of an ECDSA verification.
///
/// An entry is the pair (SHA-256 of the message, signature bytes) exactly as signed here, so a hit
/// means this node's key signed this very message into these very bytes: the verification would
/// succeed, and skipping it changes no verdict. Anything else is verified as usual. Only the last
/// `capacity` signatures are kept (32 bytes each), oldest out first.
public final class OwnSignatures: Sendable {
    /// SHA-256(message digest ‖ signature): a fixed-length digest first, so no two pairs share a key.
    private struct Key: Hashable {
        var words: (UInt64, UInt64, UInt64, UInt64)

        init(digest: [UInt8], signature: [UInt8]) {
            var hash = SHA256()
            hash.update(digest)
            hash.update(signature)
            let bytes = hash.finalize()
            func word(_ at: Int) -> UInt64 { bytes[at..<at + 8].reduce(0) { $0 << 8 | UInt64($1) } }
            words = (word(0), word(8), word(16), word(24))
        }

        static func == (lhs: Key, rhs: Key) -> Bool { lhs.words == rhs.words }
        func hash(into hasher: inout Hasher) { hasher.combine(words.0) }
    }

    private struct State {
        var keys: Set<Key> = []
        var order: [Key] = []
        var next = 0
    }

    /// How many signatures it keeps.
    public let capacity: Int
    private let state: NIOLockedValueBox<State>

    /// Keeps the last `capacity` signatures (at least one).
    public init(capacity: Int = 16_384) {
        self.capacity = max(1, capacity)
        state = NIOLockedValueBox(State())
    }

    /// Remembers that this node signed the message whose SHA-256 is `digest` into `signature`.
    public func record(digest: [UInt8], signature: [UInt8]) {
        let key = Key(digest: digest, signature: signature)
        state.withLockedValue { state in
            guard state.keys.insert(key).inserted else { return }
            if state.order.count < capacity {
                state.order.append(key)
            } else {
                state.keys.remove(state.order[state.next])
                state.order[state.next] = key
                state.next = (state.next + 1) % capacity
            }
        }
    }

    /// Whether this node signed the message whose SHA-256 is `digest` into exactly `signature`, among
    /// the signatures it still keeps.
    public func contains(digest: [UInt8], signature: [UInt8]) -> Bool {
        let key = Key(digest: digest, signature: signature)
        return state.withLockedValue { $0.keys.contains(key) }
    }
}
