import WeftCore

/// A read of a peer's ledger, as clients send it over the wire (`ledgerQuery`).
///
/// Canonical layout: a `u8` tag, then the case's fields — 0 `info`; 1 `block` (number u64);
/// 2 `blockByHash` (bytes); 3 `transaction` (txID string); 4 `state` (namespace, key strings);
/// 5 `range` (namespace, start, end strings, pageSize u32, bookmark string — empty for the first page);
/// 6 `history` (namespace, key strings, newestFirst bool, pageSize u32, bookmark string);
/// 7 `rich` (namespace, selector strings); 8 `proof` (txID string).
public enum LedgerQuery: Hashable, Sendable, CanonicalCodable {
    case info
    case block(UInt64)
    case blockByHash([UInt8])
    case transaction(String)
    case state(namespace: String, key: String)
    case range(namespace: String, start: String, end: String, pageSize: UInt32, bookmark: String)
    case history(namespace: String, key: String, newestFirst: Bool, pageSize: UInt32, bookmark: String)
    case rich(namespace: String, selector: String)
    case proof(String)

    public func encode(to writer: inout ByteWriter) {
        switch self {
        case .info: writer.write(UInt8(0))
        case .block(let number):
            writer.write(UInt8(1))
            writer.write(number)
        case .blockByHash(let hash):
            writer.write(UInt8(2))
            writer.write(lengthPrefixed: hash)
        case .transaction(let txID):
            writer.write(UInt8(3))
            writer.write(txID)
        case let .state(namespace, key):
            writer.write(UInt8(4))
            writer.write(namespace)
            writer.write(key)
        case let .range(namespace, start, end, pageSize, bookmark):
            writer.write(UInt8(5))
            for text in [namespace, start, end] { writer.write(text) }
            writer.write(pageSize)
            writer.write(bookmark)
        case let .history(namespace, key, newestFirst, pageSize, bookmark):
            writer.write(UInt8(6))
            writer.write(namespace)
            writer.write(key)
            writer.write(newestFirst)
            writer.write(pageSize)
            writer.write(bookmark)
        case let .rich(namespace, selector):
            writer.write(UInt8(7))
            writer.write(namespace)
            writer.write(selector)
        case .proof(let txID):
            writer.write(UInt8(8))
            writer.write(txID)
        }
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let offset = reader.offset
        switch try reader.readUInt8() {
        case 0: self = .info
        case 1: self = .block(try reader.readUInt64())
        case 2: self = .blockByHash(try reader.readLengthPrefixed())
        case 3: self = .transaction(try reader.readString())
        case 4: self = .state(namespace: try reader.readString(), key: try reader.readString())
        case 5:
            self = .range(namespace: try reader.readString(), start: try reader.readString(), end: try reader.readString(),
                          pageSize: try reader.readUInt32(), bookmark: try reader.readString())
        case 6:
            self = .history(namespace: try reader.readString(), key: try reader.readString(), newestFirst: try reader.readBool(),
                            pageSize: try reader.readUInt32(), bookmark: try reader.readString())
        case 7: self = .rich(namespace: try reader.readString(), selector: try reader.readString())
        case 8: self = .proof(try reader.readString())
        case let tag: throw .invalidValue(offset: offset, "unknown ledger query \(tag)")
        }
    }
}
