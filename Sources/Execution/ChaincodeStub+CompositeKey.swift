import WeftCore

/// Composite keys, as in Fabric: `U+0000 objectType U+0000 attribute1 U+0000 attribute2 U+0000 …`.
/// The leading U+0000 keeps them apart from simple keys, which may not start with it.
extension ChaincodeStub {
    static let compositeSeparator: Character = "\u{0}"
    /// The greatest Unicode scalar; a prefix followed by it bounds every key with that prefix.
    static let maxScalar = "\u{10FFFF}"

    /// Builds the composite key of `objectType` and `attributes`; none may contain U+0000.
    public func createCompositeKey(_ objectType: String, _ attributes: [String]) throws -> String {
        for part in [objectType] + attributes where part.contains(Self.compositeSeparator) {
            throw ChaincodeError.badRequest("composite key part \"\(part.debugDescription)\" contains U+0000")
        }
        guard !objectType.isEmpty else { throw ChaincodeError.badRequest("a composite key needs an object type") }
        var key = String(Self.compositeSeparator)
        for part in [objectType] + attributes {
            key += part
            key.append(Self.compositeSeparator)
        }
        return key
    }

    /// Splits a composite key into its object type and attributes.
    public func splitCompositeKey(_ key: String) throws -> (objectType: String, attributes: [String]) {
        guard key.first == Self.compositeSeparator, key.last == Self.compositeSeparator, key.count >= 3 else {
            throw ChaincodeError.badRequest("\"\(key.debugDescription)\" is not a composite key")
        }
        let parts = key.dropFirst().dropLast().split(separator: Self.compositeSeparator, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.dropFirst().map(String.init))
    }

    /// Every key that starts with the composite key of `objectType` and the leading `attributes`,
    /// in key order, one page at a time (see `getStateByRange`).
    public func getStateByPartialCompositeKey(
        _ objectType: String, _ attributes: [String], pageSize: Int = maxPageSize, bookmark: String = ""
    ) throws -> (entries: [(key: String, value: [UInt8])], bookmark: String) {
        let prefix = try createCompositeKey(objectType, attributes)
        return try getStateByRange(prefix, prefix + Self.maxScalar, pageSize: pageSize, bookmark: bookmark)
    }
}
