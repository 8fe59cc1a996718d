import WeftCore

/// Sub-namespaces: a chaincode named `cc` may also keep state in namespaces `cc:<name>` (the committer
/// accepts writes to its own namespace and to `cc:*`, and marks any other write ILLEGAL_WRITESET). The
/// EVM chaincode keeps each contract's account and storage in `evm:<address>`.
///
/// Reads and writes are recorded in the read-write set exactly like `getState`/`putState`/`deleteState`
/// (first read per key with its version, last write per key), so MVCC protects them the same way, and a
/// key this transaction wrote reads back as written.
extension ChaincodeStub {
    /// The most characters a sub-namespace name may have.
    public static let maxSubNamespaceLength = 128

    /// The full namespace `<namespace>:<sub>`. `sub` is 1–128 characters of `A–Z a–z 0–9 . _ -`;
    /// anything else throws a 400 error.
    public func subNamespace(_ sub: String) throws -> String {
        guard !sub.isEmpty, sub.utf8.count <= Self.maxSubNamespaceLength else {
            throw ChaincodeError.badRequest(
                "a sub-namespace name must have 1 to \(Self.maxSubNamespaceLength) characters, got \(sub.utf8.count)")
        }
        guard sub.utf8.allSatisfy(NameCharacters.isAllowed) else {
            throw ChaincodeError.badRequest(
                "sub-namespace name \(sub.debugDescription) may only contain letters, digits, '.', '_' and '-'")
        }
        return namespace + ":" + sub
    }

    /// The value of `key` in sub-namespace `sub`, or nil when absent. Records the read with its version.
    public func getState(_ key: String, in sub: String) throws -> [UInt8]? {
        try getState(key, namespace: subNamespace(sub))
    }

    /// Sets `key` of sub-namespace `sub` to `value` when the transaction commits.
    public func putState(_ key: String, _ value: [UInt8], in sub: String) throws {
        try putState(key, value, namespace: subNamespace(sub))
    }

    /// Deletes `key` of sub-namespace `sub` when the transaction commits.
    public func deleteState(_ key: String, in sub: String) throws {
        try putState(key, nil, namespace: subNamespace(sub))
    }
}
