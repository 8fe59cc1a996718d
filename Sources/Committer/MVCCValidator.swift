import WeftCore

/// The MVCC check of one block, in block order: a transaction is valid only if every key it read still
/// has the version it read — in committed state, and not written by an earlier valid transaction of the
/// same block — and every range it scanned still holds exactly the keys and versions it saw.
///
/// Keys are compared by their UTF-8 bytes throughout (`StateKey`, `String.utf8Precedes`), as state stores
/// them: two canonically equivalent spellings are two keys, each with its own version.
///
/// A stale read of a chaincode definition (`LifecycleKeys`) is `CHAINCODE_VERSION_CONFLICT` rather than
/// `MVCC_READ_CONFLICT`: the transaction was endorsed under a definition no longer in force.
///
/// Transactions already invalid (from the signature and policy checks) are skipped and their writes
/// ignored. Invalid is data: the result is a code per transaction; `throws` only for storage failures.
public struct MVCCValidator {
    public init() {}

    /// The final validation codes. `readWriteSets[i]` is nil for a transaction that has no usable
    /// read-write set; its code in `codes` must then already be invalid.
    public func validate(
        readWriteSets: [ReadWriteSet?], codes: [ValidationCode], against committed: any CommittedVersions
    ) throws -> [ValidationCode] {
        precondition(readWriteSets.count == codes.count, "one code per transaction")
        let pointKeys = Set(zip(readWriteSets, codes).flatMap { rwset, code in
            code.isValid ? (rwset?.reads ?? []).map { StateKey(namespace: $0.namespace, key: $0.key) } : []
        })
        let committedVersions = try committed.committedVersions(of: pointKeys.sorted())
        var writtenInBlock: Set<StateKey> = []
        var result = codes
        for index in codes.indices where codes[index].isValid {
            guard let rwset = readWriteSets[index] else {
                result[index] = .badRWSet
                continue
            }
            result[index] = try check(rwset, committedVersions, writtenInBlock, committed)
            if result[index].isValid {
                for write in rwset.writes { writtenInBlock.insert(StateKey(namespace: write.namespace, key: write.key)) }
            }
        }
        return result
    }

    private func check(
        _ rwset: ReadWriteSet, _ committedVersions: [StateKey: Version], _ writtenInBlock: Set<StateKey>,
        _ committed: any CommittedVersions
    ) throws -> ValidationCode {
        for read in rwset.reads {
            let key = StateKey(namespace: read.namespace, key: read.key)
            if writtenInBlock.contains(key) || committedVersions[key] != read.version {
                // The chaincode's definition changed since the endorser read it (docs/governance.md).
                let isDefinition = read.namespace == LifecycleKeys.namespace && LifecycleKeys.definitionName(ofKey: read.key) != nil
                return isDefinition ? .chaincodeVersionConflict : .mvccReadConflict
            }
        }
        for range in rwset.rangeReads {
            if try isPhantom(range, writtenInBlock, committed) { return .phantomReadConflict }
        }
        return .valid
    }

    /// A range is a phantom when an earlier valid transaction of this block wrote a key inside it, or
    /// when re-scanning committed state gives other keys or versions than the simulation saw.
    private func isPhantom(
        _ range: RangeRead, _ writtenInBlock: Set<StateKey>, _ committed: any CommittedVersions
    ) throws -> Bool {
        // An empty start key scans simple keys only (composite keys begin with U+0000), as the ledger does.
        let lower = range.startKey.isEmpty ? "\u{1}" : range.startKey
        let inRange = { (key: String) in !key.utf8Precedes(lower) && (range.endKey.isEmpty || key.utf8Precedes(range.endKey)) }
        if writtenInBlock.contains(where: { $0.namespace.hasSameUTF8(as: range.namespace) && inRange($0.key) }) { return true }
        let now = try committed.keyVersions(namespace: range.namespace, from: range.startKey, to: range.endKey)
        guard now.count == range.results.count else { return true }
        for (current, seen) in zip(now, range.results)
        where !current.key.hasSameUTF8(as: seen.key) || current.version != seen.version {
            return true
        }
        return false
    }
}
