/// Decodes `Decodable` values from YAML text — the configuration-file subset of YAML (see `YAMLParser`),
/// with plain scalars read as YAML 1.1 does (`yes`/`no` are booleans, `~` is null, `0x1F` is a number),
/// as Yams and libyaml read them.
///
/// ```swift
/// let configuration = try YAMLDecoder().decode(NodeConfiguration.self, from: text)
/// ```
///
/// Errors: `YAMLError.syntax` when the text is not (supported) YAML, `DecodingError` with the coding path
/// when it does not fit the type.
public struct YAMLDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let node = try YAMLParser.parse(text)
        return try T(from: YAMLNodeDecoder(node: node, codingPath: []))
    }
}

/// The `Decoder` over one node.
struct YAMLNodeDecoder: Decoder {
    let node: YAMLNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let entries, _) = node else { throw mismatch([String: String].self, "a mapping") }
        return KeyedDecodingContainer(YAMLKeyedContainer<Key>(entries: entries, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let items, _) = node else { throw mismatch([String].self, "a sequence") }
        return YAMLUnkeyedContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func mismatch(_ type: Any.Type, _ expected: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(node.summary) (line \(node.line))"))
    }
}

extension YAMLNodeDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { node.isNull }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .scalar(let text, false, _) = node, let value = YAMLScalar.bool(text) else { throw mismatch(type, "true or false") }
        return value
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .scalar(let text, _, _) = node, !node.isNull else { throw mismatch(type, "a string") }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard case .scalar(let text, false, _) = node, let value = YAMLScalar.double(text) else { throw mismatch(type, "a number") }
        return value
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard case .scalar(let text, false, _) = node, let value = YAMLScalar.integer(text, as: type) else {
            throw mismatch(type, "an integer that fits \(type)")
        }
        return value
    }
}

/// A mapping's entries by key.
struct YAMLKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let entries: [(key: String, value: YAMLNode)]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { entries.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { value(for: key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { try node(for: key).isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: YAMLNodeDecoder(node: try node(for: key), codingPath: codingPath + [key]))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try YAMLNodeDecoder(node: try node(for: key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try YAMLNodeDecoder(node: try node(for: key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = YAMLKey(stringValue: "super")
        return YAMLNodeDecoder(node: value(for: key) ?? .scalar("", quoted: false, line: 0), codingPath: codingPath + [key])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        YAMLNodeDecoder(node: value(for: key) ?? .scalar("", quoted: false, line: 0), codingPath: codingPath + [key])
    }

    private func value(for key: some CodingKey) -> YAMLNode? {
        entries.first { $0.key == key.stringValue }?.value
    }

    private func node(for key: Key) throws -> YAMLNode {
        guard let node = value(for: key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for '\(key.stringValue)'"))
        }
        return node
    }
}

/// A sequence's items in order.
struct YAMLUnkeyedContainer: UnkeyedDecodingContainer {
    let items: [YAMLNode]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [YAMLNode], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func decodeNil() throws -> Bool {
        guard try next(Never?.self).isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = YAMLNodeDecoder(node: try next(type), codingPath: codingPath + [YAMLKey(intValue: currentIndex)])
        let value = try T(from: decoder)
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let decoder = YAMLNodeDecoder(node: try next([String: String].self), codingPath: codingPath + [YAMLKey(intValue: currentIndex)])
        let container = try decoder.container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let decoder = YAMLNodeDecoder(node: try next([String].self), codingPath: codingPath + [YAMLKey(intValue: currentIndex)])
        let container = try decoder.unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = YAMLNodeDecoder(node: try next(Never?.self), codingPath: codingPath + [YAMLKey(intValue: currentIndex)])
        currentIndex += 1
        return decoder
    }

    private func next(_ type: Any.Type) throws -> YAMLNode {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(
                codingPath: codingPath + [YAMLKey(intValue: currentIndex)], debugDescription: "the sequence has only \(items.count) items"))
        }
        return items[currentIndex]
    }
}

/// A coding key for sequence positions and `super`.
struct YAMLKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = "\(intValue)"
        self.intValue = intValue
    }
}
