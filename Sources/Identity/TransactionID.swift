import WeftCore
import WeftCrypto

/// Transaction ids: `txID = hex(SHA-256(nonce ‖ canonicalBytes(creator)))`, so a txID commits to
/// who created the transaction and cannot be chosen freely.
public enum TransactionID {
    /// The txID (64 lower-case hex characters) for `nonce` and `creator`.
    public static func compute(nonce: [UInt8], creator: SerializedIdentity) -> String {
        var hasher = SHA256()
        hasher.update(nonce)
        hasher.update(creator.canonicalBytes)
        return Hex.encode(hasher.finalize())
    }

    /// Whether `txID` is the txID of `nonce` and `creator`.
    public static func matches(_ txID: String, nonce: [UInt8], creator: SerializedIdentity) -> Bool {
        txID == compute(nonce: nonce, creator: creator)
    }
}
