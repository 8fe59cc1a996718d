import WeftCore

/// What a chaincode sees of its transaction and of world state during one simulation.
///
/// Reads come from a consistent snapshot and are recorded with the version read; writes are recorded
/// and never touch state (they are applied at commit, if the transaction is valid).
///
/// Reading your own writes: `getState` of a key this transaction already wrote returns the written
/// value (or nil after `deleteState`), unlike Fabric, where it returns the committed value. Range
/// scans, composite-key scans, rich queries and history read committed state only.
public final class ChaincodeStub {
    /// The most keys one page of a range or query returns; larger page sizes are capped to it.
    public static let maxPageSize = 10_000

    /// The transaction id.
    public let txID: String
    /// The channel the transaction runs on.
    public let channelID: String
    /// The submitting client's identity.
    public let creator: SerializedIdentity
    /// The transaction's timestamp chosen by the client (milliseconds since the Unix epoch): the only
    /// clock a deterministic chaincode may read.
    public let timestamp: Int64
    /// The function to run.
    public let function: String
    /// The function's arguments as bytes.
    public let arguments: [[UInt8]]
    /// The chaincode's own namespace in world state (its name).
    public let namespace: String

    let snapshot: any StateSnapshot
    var recorder = ReadWriteSetRecorder()
    var event: ChaincodeEvent?
    /// The first storage failure seen; it makes the simulation fail even if the chaincode caught it.
    var storageFailure: (any Error)?

    init(proposal: Proposal, snapshot: any StateSnapshot) {
        txID = proposal.header.txID
        channelID = proposal.header.channelID
        creator = proposal.header.creator
        timestamp = proposal.header.timestamp
        function = proposal.function
        arguments = proposal.arguments
        namespace = proposal.chaincode
        self.snapshot = snapshot
    }

    /// The height of the ledger the simulation reads (blocks committed).
    public var height: UInt64 { snapshot.height }

    // MARK: Arguments

    /// Argument `index` as UTF-8 text; throws a 400 error naming the argument when missing or not text.
    public func string(_ index: Int, _ name: String) throws -> String {
        guard arguments.indices.contains(index) else {
            throw ChaincodeError.badRequest("\(function): missing argument \(index + 1) (\(name)); expected \(name)")
        }
        guard let text = String(validating: arguments[index], as: UTF8.self) else {
            throw ChaincodeError.badRequest("\(function): argument \(index + 1) (\(name)) is not UTF-8 text")
        }
        return text
    }

    /// Argument `index` as a base-10 integer; throws a 400 error naming the argument otherwise.
    public func integer(_ index: Int, _ name: String) throws -> Int64 {
        let text = try string(index, name)
        guard let value = Int64(text) else {
            throw ChaincodeError.badRequest("\(function): argument \(index + 1) (\(name)) must be an integer, got \"\(text)\"")
        }
        return value
    }

    /// Throws a 400 error unless exactly `count` arguments were passed.
    public func expectArguments(_ count: Int, usage: String) throws {
        guard arguments.count == count else {
            throw ChaincodeError.badRequest(
                "\(function) takes \(count) argument\(count == 1 ? "" : "s") (\(usage)), got \(arguments.count)")
        }
    }

    // MARK: State

    /// The value of `key`, or nil when absent. Records the read with the committed version.
    public func getState(_ key: String) throws -> [UInt8]? {
        try getState(key, namespace: namespace)
    }

    /// Sets `key` to `value` when the transaction commits.
    public func putState(_ key: String, _ value: [UInt8]) throws {
        try putState(key, value, namespace: namespace)
    }

    /// Deletes `key` when the transaction commits.
    public func deleteState(_ key: String) throws {
        try putState(key, nil, namespace: namespace)
    }

    /// One page of the keys in `[start, end)` (an empty `end` scans to the end of the namespace),
    /// starting at `bookmark` when given. Returns the entries and the bookmark of the next page (empty
    /// when the range is exhausted). Records the range scanned, so validation detects phantoms.
    public func getStateByRange(
        _ start: String, _ end: String, pageSize: Int = maxPageSize, bookmark: String = ""
    ) throws -> (entries: [(key: String, value: [UInt8])], bookmark: String) {
        let from = bookmark.isEmpty ? start : bookmark
        if !bookmark.isEmpty, bookmark < start || (!end.isEmpty && bookmark >= end) {
            throw ChaincodeError.badRequest("bookmark \"\(bookmark)\" is outside the range [\(start), \(end))")
        }
        let limit = min(max(pageSize, 1), Self.maxPageSize)
        var found = try storage { try snapshot.scan(namespace: namespace, from: from, to: end, limit: limit + 1) }
        var next = ""
        if found.count > limit {
            next = found[limit].key
            found.removeLast(found.count - limit)
        }
        recorder.recordRange(RangeRead(
            namespace: namespace, startKey: from, endKey: next.isEmpty ? end : next,
            results: found.map { KVRead(namespace: namespace, key: $0.key, version: $0.version) }))
        return (found.map { ($0.key, $0.value) }, next)
    }

    /// Keys whose JSON value matches `selector`, e.g. `{"owner":"alice","size":{"$gt":10}}`. Each key
    /// returned is recorded as a read (so a change to it invalidates the transaction); like Fabric, rich
    /// queries are not re-executed at validation, so they are not protected against phantoms.
    public func getQueryResult(_ selector: String, limit: Int = maxPageSize) throws -> [(key: String, value: [UInt8])] {
        let capped = min(max(limit, 1), Self.maxPageSize)
        let found: [StateEntry]
        do {
            found = try snapshot.query(namespace: namespace, selector: selector, limit: capped)
        } catch let error as StateQueryError {
            throw ChaincodeError.badRequest("invalid query selector: \(error.message)")
        } catch {
            storageFailure = storageFailure ?? error
            throw error
        }
        for entry in found { recorder.recordRead(namespace: namespace, key: entry.key, version: entry.version) }
        return found.map { ($0.key, $0.value) }
    }

    /// The committed changes of `key`, newest first. History is informational and not re-checked at
    /// validation.
    public func getHistoryForKey(_ key: String, limit: Int = maxPageSize) throws -> [KeyModification] {
        try validate(key: key)
        let capped = min(max(limit, 1), Self.maxPageSize)
        return try storage { try snapshot.history(namespace: namespace, key: key, limit: capped) }
    }

    /// The header hash of committed block `number`, or nil when `number` is not below `height` (or the
    /// snapshot keeps no blocks). Block hashes never change, so the read is not recorded.
    public func blockHash(number: UInt64) throws -> [UInt8]? {
        guard number < height else { return nil }
        return try storage { try snapshot.blockHash(number: number) }
    }

    /// Sets the transaction's chaincode event (the last call wins), delivered after a valid commit.
    public func setEvent(_ name: String, _ payload: [UInt8]) throws {
        guard !name.isEmpty else { throw ChaincodeError.badRequest("an event needs a name") }
        event = ChaincodeEvent(chaincode: namespace, name: name, payload: payload)
    }

    // MARK: Helpers

    /// Reads `key` of `namespace` (this chaincode's own or one of its sub-namespaces) and records the read.
    func getState(_ key: String, namespace: String) throws -> [UInt8]? {
        try validate(key: key)
        if let written = recorder.pendingWrite(namespace: namespace, key: key) { return written }
        let found = try storage { try snapshot.value(namespace: namespace, key: key) }
        recorder.recordRead(namespace: namespace, key: key, version: found?.version)
        return found?.value
    }

    /// Records a write (nil: a delete) of `key` in `namespace` (this chaincode's own or a sub-namespace).
    func putState(_ key: String, _ value: [UInt8]?, namespace: String) throws {
        try validate(key: key)
        recorder.recordWrite(KVWrite(namespace: namespace, key: key, value: value))
    }

    func validate(key: String) throws {
        guard !key.isEmpty else { throw ChaincodeError.badRequest("a state key must not be empty") }
        guard key.utf8.count <= 4096 else { throw ChaincodeError.badRequest("a state key must be at most 4096 bytes") }
    }

    /// Runs a snapshot read; remembers a storage failure so the simulation fails even if it is caught.
    func storage<T>(_ read: () throws -> T) throws -> T {
        do {
            return try read()
        } catch {
            storageFailure = storageFailure ?? error
            throw error
        }
    }
}
