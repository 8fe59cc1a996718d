/// A chaincode as a channel's organizations agreed to run it (docs/governance.md, "Chaincode
/// lifecycle"): which built-in chaincode, a version label, the definition's sequence (1 for the first
/// definition, one more with each upgrade) and the endorsement policy its transactions must satisfy.
///
/// Definitions live in the channel's world state, in the namespace of the `_lifecycle` chaincode
/// (`LifecycleKeys`): each organization's admin approves one, and it is committed once enough
/// organizations approved the same one. The chaincodes a channel's configuration lists are its
/// genesis definitions, at sequence 1.
///
/// Canonical layout: `layout` (u32), `name`, `version` (strings), `sequence` (u64), `policy` (string),
/// and in layout 2 `contractPolicies` (list of (sub-namespace, policy) string pairs in byte order of
/// the sub-namespace). A definition without contract policies is written in layout 1.
public struct ChaincodeDefinition: Hashable, Sendable, CanonicalCodable {
    /// The layout version this code writes for a definition with contract policies.
    public static let layout: UInt32 = 2
    /// The version label of a definition from the channel's configuration.
    public static let genesisVersion = "genesis"

    public var name: String
    /// A label chosen by the organizations, e.g. `2.0`.
    public var version: String
    /// 1 for the first definition of the name, one more with each change.
    public var sequence: UInt64
    /// The endorsement policy of the chaincode's transactions (docs/policies.md).
    public var policy: String
    /// Policies of the chaincode's sub-namespaces (`<name>:<sub>`; for `evm`, one contract's state, its
    /// 40 hex digits): a transaction's writes to such a namespace need its policy instead of `policy`.
    public var contractPolicies: [String: String]

    public init(name: String, version: String, sequence: UInt64, policy: String, contractPolicies: [String: String] = [:]) {
        self.name = name
        self.version = version
        self.sequence = sequence
        self.policy = policy
        self.contractPolicies = contractPolicies
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(contractPolicies.isEmpty ? 1 : Self.layout)
        writer.write(name)
        writer.write(version)
        writer.write(sequence)
        writer.write(policy)
        guard !contractPolicies.isEmpty else { return }
        let sorted = contractPolicies.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        writer.write(UInt32(sorted.count))
        for (sub, policy) in sorted {
            writer.write(sub)
            writer.write(policy)
        }
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let layout = try reader.readUInt32()
        guard layout == 1 || layout == Self.layout else {
            throw .invalidValue(offset: reader.offset - 4, "chaincode definition layout \(layout); this node reads layouts 1 and \(Self.layout)")
        }
        name = try reader.field("name") { reader throws(DecodingError) in try reader.readString() }
        version = try reader.field("version") { reader throws(DecodingError) in try reader.readString() }
        sequence = try reader.field("sequence") { reader throws(DecodingError) in try reader.readUInt64() }
        policy = try reader.field("policy") { reader throws(DecodingError) in try reader.readString() }
        contractPolicies = [:]
        guard layout == Self.layout else { return }
        try reader.field("contractPolicies") { reader throws(DecodingError) in
            let start = reader.offset
            let count = try reader.readUInt32()
            guard count >= 1, Int(count) <= reader.remaining / 8 else {
                throw .invalidValue(offset: start, "\(count) contract policies (layout 2 holds 1 to what the bytes can carry)")
            }
            var previous: String?
            for _ in 0..<count {
                let sub = try reader.readString()
                let policy = try reader.readString()
                // Strictly ascending: one canonical encoding, no duplicates.
                if let previous, !previous.utf8.lexicographicallyPrecedes(sub.utf8) {
                    throw .invalidValue(offset: start, "contract policies are not in strictly ascending order")
                }
                previous = sub
                contractPolicies[sub] = policy
            }
        }
    }
}

/// Where the chaincode lifecycle keeps its records: the state of the `_lifecycle` chaincode.
///
/// - `definition/<name>`: the committed `ChaincodeDefinition` of `<name>`;
/// - `approval/<name>/<sequence>/<mspID>`: the definition an organization's admin approved for that
///   sequence.
///
/// Endorsers record a read of `definition/<name>` in every transaction of `<name>`, so a transaction
/// endorsed under a definition that changed before it commits is invalid (`CHAINCODE_VERSION_CONFLICT`).
public enum LifecycleKeys {
    /// The system chaincode's name, and the namespace of its state.
    public static let namespace = "_lifecycle"
    /// The endorsement policy of committing a definition when the channel names none (Fabric's
    /// `LifecycleEndorsement` default): as for any transaction of `_lifecycle`, it is set by the
    /// configuration's chaincode entry `_lifecycle`.
    public static let defaultLifecycleEndorsement = "MAJORITY peer"

    private static let definitionPrefix = "definition/"
    private static let approvalPrefix = "approval/"

    /// The key of `name`'s committed definition.
    public static func definition(_ name: String) -> String { definitionPrefix + name }

    /// The key of `mspID`'s approval of a definition of `name` at `sequence`.
    public static func approval(_ name: String, sequence: UInt64, mspID: String) -> String {
        "\(approvalPrefix)\(name)/\(sequence)/\(mspID)"
    }

    /// The chaincode name of a definition key, or nil for another key.
    public static func definitionName(ofKey key: String) -> String? {
        guard key.hasPrefix(definitionPrefix) else { return nil }
        let name = String(key.dropFirst(definitionPrefix.count))
        return name.isEmpty ? nil : name
    }

    /// The chaincode name, sequence and organization of an approval key, or nil for another key.
    /// Chaincode names have no `/`; an MSP id may.
    public static func approval(ofKey key: String) -> (name: String, sequence: UInt64, mspID: String)? {
        guard key.hasPrefix(approvalPrefix) else { return nil }
        let parts = key.dropFirst(approvalPrefix.count).split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[2].isEmpty, let sequence = UInt64(parts[1]),
              String(sequence) == parts[1] else { return nil }
        return (String(parts[0]), sequence, String(parts[2]))
    }

    /// The range of keys holding definitions (for a scan).
    public static let definitionRange = (start: definitionPrefix, end: "definition0")

    /// Whether `name` may be given to a chaincode definition: 1–64 characters of `a–z A–Z 0–9 . _ -`,
    /// not starting with `_` (system chaincodes).
    public static func isDefinableName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 64, !name.hasPrefix("_") else { return false }
        return name.utf8.allSatisfy(NameCharacters.isAllowed)
    }
}
