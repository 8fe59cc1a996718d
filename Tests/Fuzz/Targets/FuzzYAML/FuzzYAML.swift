import FuzzSupport
import WeftYAML

/// Any YAML document as plain data: scalars, sequences and mappings.
indirect enum YAMLTree: Codable, Equatable {
    case scalar(String)
    case sequence([YAMLTree])
    case mapping([String: YAMLTree])

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: YAMLTree] = [:]
            for key in container.allKeys { members[key.stringValue] = try container.decode(YAMLTree.self, forKey: key) }
            self = .mapping(members)
        } else if var container = try? decoder.unkeyedContainer() {
            var items: [YAMLTree] = []
            while !container.isAtEnd { items.append(try container.decode(YAMLTree.self)) }
            self = .sequence(items)
        } else {
            self = .scalar(try decoder.singleValueContainer().decode(String.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .scalar(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .sequence(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .mapping(let members):
            var container = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in members { try container.encode(value, forKey: AnyKey(stringValue: key)) }
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Configuration YAML: the parser never crashes, and a document it reads, written back by the
/// encoder, reads back as the same data.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let text = String(decoding: RoundTrip.bytes(data, size), as: UTF8.self)
    guard let tree = try? YAMLDecoder().decode(YAMLTree.self, from: text) else { return 0 }
    guard let written = try? YAMLEncoder().encode(tree) else { return 0 }
    guard let again = try? YAMLDecoder().decode(YAMLTree.self, from: written) else {
        fatalError("YAML written by the encoder does not parse:\n\(written)")
    }
    RoundTrip.require(again == tree, "YAML changed through encode → decode:\n\(written)")
    return 0
}
