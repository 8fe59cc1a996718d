import WeftCore

/// The committed versions the MVCC check compares a block's reads against: the state as of the
/// previous block, read once per block.
public protocol CommittedVersions {
    /// The committed version of each key that exists; absent keys are missing from the result.
    func committedVersions(of keys: [StateKey]) throws -> [StateKey: Version]

    /// The keys in `[start, end)` of `namespace` (an empty `end` means the end of the namespace), in key
    /// order, with their committed versions.
    func keyVersions(namespace: String, from start: String, to end: String) throws -> [(key: String, version: Version)]
}
