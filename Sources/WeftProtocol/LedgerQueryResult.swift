import WeftCore

/// A peer's answer to a `LedgerQuery`.
///
/// Canonical layout: a `u8` tag, then — 0 `info` (ChainInfo); 1 `block` (optional Block);
/// 2 `transaction` (optional TransactionRecord); 3 `value` (optional VersionedValue);
/// 4 `entries` (list of StateEntry, bookmark string — empty when complete);
/// 5 `history` (list of KeyModification, bookmark string); 6 `proof` (optional TransactionInclusionProof);
/// 7 `history` of a key whose older modifications were pruned (list of KeyModification, bookmark
/// string, prunedBelow u64). A history without pruned entries is sent as 5, byte for byte what
/// earlier builds send.
public enum LedgerQueryResult: Hashable, Sendable, CanonicalCodable {
    case info(ChainInfo)
    case block(Block?)
    case transaction(TransactionRecord?)
    case value(VersionedValue?)
    case entries([StateEntry], bookmark: String)
    /// A page of a key's history; `prunedBelow` is set when the key has older modifications that were
    /// pruned: its history is kept only from that block on (`HistoryPage.prunedBelow`).
    case history([KeyModification], bookmark: String, prunedBelow: UInt64? = nil)
    case proof(TransactionInclusionProof?)

    public func encode(to writer: inout ByteWriter) {
        switch self {
        case .info(let info):
            writer.write(UInt8(0))
            writer.write(info)
        case .block(let block):
            writer.write(UInt8(1))
            writer.write(block)
        case .transaction(let record):
            writer.write(UInt8(2))
            writer.write(record)
        case .value(let value):
            writer.write(UInt8(3))
            writer.write(value)
        case let .entries(entries, bookmark):
            writer.write(UInt8(4))
            writer.write(entries)
            writer.write(bookmark)
        case let .history(entries, bookmark, prunedBelow):
            writer.write(UInt8(prunedBelow == nil ? 5 : 7))
            writer.write(entries)
            writer.write(bookmark)
            if let prunedBelow { writer.write(prunedBelow) }
        case .proof(let proof):
            writer.write(UInt8(6))
            writer.write(proof)
        }
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let offset = reader.offset
        switch try reader.readUInt8() {
        case 0: self = .info(try reader.read())
        case 1: self = .block(try reader.readOptional(Block.self))
        case 2: self = .transaction(try reader.readOptional(TransactionRecord.self))
        case 3: self = .value(try reader.readOptional(VersionedValue.self))
        case 4: self = .entries(try reader.readArray(of: StateEntry.self, minimumElementSize: 20), bookmark: try reader.readString())
        case 5: self = .history(try reader.readArray(of: KeyModification.self, minimumElementSize: 17), bookmark: try reader.readString())
        case 6: self = .proof(try reader.readOptional(TransactionInclusionProof.self))
        case 7:
            self = .history(try reader.readArray(of: KeyModification.self, minimumElementSize: 17), bookmark: try reader.readString(),
                            prunedBelow: try reader.readUInt64())
        case let tag: throw .invalidValue(offset: offset, "unknown ledger query result \(tag)")
        }
    }
}
