#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An asset, as in fabric-samples' asset-transfer-basic. Stored as JSON with sorted keys, so every
/// endorser produces the same bytes.
public struct Asset: Codable, Hashable, Sendable {
    public var appraisedValue: Int
    public var color: String
    public var id: String
    public var owner: String
    public var size: Int

    enum CodingKeys: String, CodingKey {
        case appraisedValue = "AppraisedValue"
        case color = "Color"
        case id = "ID"
        case owner = "Owner"
        case size = "Size"
    }

    public init(id: String, color: String, size: Int, owner: String, appraisedValue: Int) {
        self.id = id
        self.color = color
        self.size = size
        self.owner = owner
        self.appraisedValue = appraisedValue
    }

    /// The canonical JSON bytes (sorted keys, no whitespace).
    func json() throws -> [UInt8] { Array(try AssetJSON.encoder.encode(self)) }

    /// Decodes stored JSON.
    static func from(json bytes: [UInt8]) throws -> Asset { try AssetJSON.decoder.decode(Asset.self, from: Data(bytes)) }
}

/// Shared JSON coders for assets (sorted keys for deterministic bytes).
enum AssetJSON {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static var decoder: JSONDecoder { JSONDecoder() }
}
