/// Encodes `Encodable` values as block-style YAML, the way Yams writes it: `key: value` lines, nested
/// mappings indented by two spaces, sequence items (`- `) at their key's indentation, strings plain
/// unless they would read back as something else (then single-quoted, or double-quoted with escapes when
/// they hold line breaks or control characters). Absent optionals are left out.
public struct YAMLEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = YAMLTreeEncoder(codingPath: [])
        try value.encode(to: encoder)
        return YAMLEmitter.document(encoder.root.value)
    }
}

/// A value being built: scalars are final; mappings and sequences hold boxes their nested containers fill.
final class YAMLBox {
    enum Value {
        case empty
        /// Written as-is (numbers, booleans, null).
        case raw(String)
        case string(String)
        case sequence([YAMLBox])
        case mapping([(key: String, box: YAMLBox)])
    }

    var value: Value = .empty

    init(_ value: Value = .empty) { self.value = value }

    /// The box for `key`, added if new.
    func entry(_ key: String) -> YAMLBox {
        if case .mapping(let entries) = value, let existing = entries.first(where: { $0.key == key }) { return existing.box }
        let box = YAMLBox()
        if case .mapping(var entries) = value {
            entries.append((key, box))
            value = .mapping(entries)
        } else {
            value = .mapping([(key, box)])
        }
        return box
    }

    /// A new box at the end of this sequence.
    func append() -> YAMLBox {
        let box = YAMLBox()
        if case .sequence(var items) = value {
            items.append(box)
            value = .sequence(items)
        } else {
            value = .sequence([box])
        }
        return box
    }
}

/// The `Encoder` filling one box.
struct YAMLTreeEncoder: Encoder {
    let root: YAMLBox
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(codingPath: [any CodingKey], box: YAMLBox = YAMLBox()) {
        self.codingPath = codingPath
        root = box
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .mapping = root.value {} else { root.value = .mapping([]) }
        return KeyedEncodingContainer(YAMLKeyedEncodingContainer<Key>(box: root, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .sequence = root.value {} else { root.value = .sequence([]) }
        return YAMLUnkeyedEncodingContainer(box: root, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }
}

extension YAMLTreeEncoder: SingleValueEncodingContainer {
    func encodeNil() { root.value = .raw("null") }
    func encode(_ value: Bool) { root.value = .raw(value ? "true" : "false") }
    func encode(_ value: String) { root.value = .string(value) }
    func encode(_ value: Double) { root.value = .raw(YAMLEmitter.number(value)) }
    func encode(_ value: Float) { root.value = .raw(YAMLEmitter.number(Double(value))) }
    func encode(_ value: Int) { root.value = .raw("\(value)") }
    func encode(_ value: Int8) { root.value = .raw("\(value)") }
    func encode(_ value: Int16) { root.value = .raw("\(value)") }
    func encode(_ value: Int32) { root.value = .raw("\(value)") }
    func encode(_ value: Int64) { root.value = .raw("\(value)") }
    func encode(_ value: UInt) { root.value = .raw("\(value)") }
    func encode(_ value: UInt8) { root.value = .raw("\(value)") }
    func encode(_ value: UInt16) { root.value = .raw("\(value)") }
    func encode(_ value: UInt32) { root.value = .raw("\(value)") }
    func encode(_ value: UInt64) { root.value = .raw("\(value)") }
    func encode<T: Encodable>(_ value: T) throws { try value.encode(to: self) }
}

struct YAMLKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: YAMLBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) { box.entry(key.stringValue).value = .raw("null") }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try value.encode(to: YAMLTreeEncoder(codingPath: codingPath + [key], box: box.entry(key.stringValue)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        YAMLTreeEncoder(codingPath: codingPath + [key], box: box.entry(key.stringValue)).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        YAMLTreeEncoder(codingPath: codingPath + [key], box: box.entry(key.stringValue)).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        YAMLTreeEncoder(codingPath: codingPath + [YAMLKey(stringValue: "super")], box: box.entry("super"))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        YAMLTreeEncoder(codingPath: codingPath + [key], box: box.entry(key.stringValue))
    }
}

struct YAMLUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let box: YAMLBox
    let codingPath: [any CodingKey]

    var count: Int {
        if case .sequence(let items) = box.value { return items.count }
        return 0
    }

    private var nextPath: [any CodingKey] { codingPath + [YAMLKey(intValue: count)] }

    mutating func encodeNil() { box.append().value = .raw("null") }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = nextPath
        try value.encode(to: YAMLTreeEncoder(codingPath: path, box: box.append()))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        return YAMLTreeEncoder(codingPath: path, box: box.append()).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        return YAMLTreeEncoder(codingPath: path, box: box.append()).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let path = nextPath
        return YAMLTreeEncoder(codingPath: path, box: box.append())
    }
}
