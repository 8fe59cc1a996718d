/// What a chaincode function returned: an HTTP-like status, a message and a payload.
///
/// Canonical layout: `status` (u32), `message` (string), `payload` (bytes).
public struct ChaincodeResponse: Hashable, Sendable, CanonicalCodable {
    /// 200 for success; 400–499 for errors the caller made, 500 for errors in the chaincode.
    public var status: UInt32
    /// A human-readable message, empty on success.
    public var message: String
    /// The function's result bytes.
    public var payload: [UInt8]

    public init(status: UInt32, message: String = "", payload: [UInt8] = []) {
        self.status = status
        self.message = message
        self.payload = payload
    }

    /// Status 200: the function succeeded.
    public static let okStatus: UInt32 = 200
    /// Status 500: the function failed.
    public static let errorStatus: UInt32 = 500

    /// A success with `payload`.
    public static func success(_ payload: [UInt8] = []) -> ChaincodeResponse { .init(status: okStatus, payload: payload) }

    /// A failure with `message`.
    public static func error(_ message: String, status: UInt32 = errorStatus) -> ChaincodeResponse {
        .init(status: status, message: message)
    }

    /// Whether the status is in the 2xx range.
    public var isSuccess: Bool { (200..<300).contains(status) }

    public func encode(to writer: inout ByteWriter) {
        writer.write(status)
        writer.write(message)
        writer.write(lengthPrefixed: payload)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        status = try reader.readUInt32()
        message = try reader.readString()
        payload = try reader.readLengthPrefixed()
    }
}

/// An event a chaincode sets during a transaction; delivered to subscribers after a valid commit.
///
/// Canonical layout: `chaincode` (string), `name` (string), `payload` (bytes).
public struct ChaincodeEvent: Hashable, Sendable, CanonicalCodable {
    public var chaincode: String
    public var name: String
    public var payload: [UInt8]

    public init(chaincode: String, name: String, payload: [UInt8]) {
        self.chaincode = chaincode
        self.name = name
        self.payload = payload
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(chaincode)
        writer.write(name)
        writer.write(lengthPrefixed: payload)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        chaincode = try reader.readString()
        name = try reader.readString()
        payload = try reader.readLengthPrefixed()
    }
}
