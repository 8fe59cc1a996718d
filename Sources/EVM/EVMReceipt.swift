import WeftCore

/// What an `evm` chaincode transaction did, as the chaincode event `receipt` of every successful
/// `deploy` and `call` carries it (docs/evm.md): the gas it used and the logs it emitted, in emission order.
///
/// Canonical layout: `layout` (u32, 1), `gasUsed` (u64), `logs` (list<Log>). Blocks written before
/// receipts carry an event `logs` with the logs alone; `EVMReceipt(event:)` reads both.
public struct EVMReceipt: Equatable, Sendable, CanonicalCodable {
    /// The layout version this code writes.
    public static let layout: UInt32 = 1
    /// The name of the chaincode event carrying a receipt.
    public static let eventName = "receipt"
    /// The name of the event blocks written before receipts carry (logs only).
    public static let logsEventName = "logs"

    /// Gas used, intrinsic gas included and refunds deducted; nil for a `logs` event.
    public var gasUsed: UInt64?
    public var logs: [Log]

    public init(gasUsed: UInt64?, logs: [Log]) {
        self.gasUsed = gasUsed
        self.logs = logs
    }

    /// The receipt in an `evm` chaincode event (`receipt`, or `logs` from earlier blocks).
    public init(event: ChaincodeEvent) throws {
        do {
            switch event.name {
            case Self.eventName: self = try EVMReceipt(canonicalBytes: event.payload)
            case Self.logsEventName: self = EVMReceipt(gasUsed: nil, logs: try Log.decodeList(event.payload))
            default: throw EVMError.malformedData("event '\(event.name.prefix(32))' is not an evm receipt")
            }
        } catch let error as EVMError {
            throw error
        } catch {
            throw EVMError.malformedData("the \(event.name.prefix(32)) event does not decode: \(error)")
        }
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(Self.layout)
        writer.write(gasUsed ?? 0)
        writer.write(logs)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let layout = try reader.readUInt32()
        guard layout == Self.layout else { throw .invalidValue(offset: reader.offset - 4, "receipt layout \(layout); this node reads layout \(Self.layout)") }
        gasUsed = try reader.field("gasUsed") { reader throws(DecodingError) in try reader.readUInt64() }
        logs = try reader.field("logs") { reader throws(DecodingError) in try reader.readArray(of: Log.self, minimumElementSize: 28) }
    }
}
