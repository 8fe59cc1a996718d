import WeftCore

/// A key in world state: namespace and key.
public struct StateKey: Hashable, Comparable, Sendable {
    public var namespace: String
    public var key: String

    public init(namespace: String, key: String) {
        self.namespace = namespace
        self.key = key
    }

    public static func < (lhs: StateKey, rhs: StateKey) -> Bool { (lhs.namespace, lhs.key) < (rhs.namespace, rhs.key) }
}

/// The committed versions the MVCC check compares a block's reads against: the state as of the
/// previous block, read once per block.
public protocol CommittedVersions {
    /// The committed version of each key that exists; absent keys are missing from the result.
    func versions(of keys: [StateKey]) throws -> [StateKey: Version]

    /// The keys in `[start, end)` of `namespace` (an empty `end` means the end of the namespace), in key
    /// order, with their committed versions.
    func keyVersions(namespace: String, from start: String, to end: String) throws -> [(key: String, version: Version)]
}
