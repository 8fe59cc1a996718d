/// The outcome of validating one transaction of a block. Invalid is data, not an error: a block keeps
/// its invalid transactions with their codes. Numbers follow Hyperledger Fabric's `TxValidationCode`
/// where the meaning is the same; Weft-specific codes live in 100–199.
public enum ValidationCode: UInt8, CaseIterable, Sendable, CanonicalCodable, CustomStringConvertible {
    case valid = 0
    case nilEnvelope = 1
    case badPayload = 2
    case badCommonHeader = 3
    case badCreatorSignature = 4
    case invalidEndorserTransaction = 5
    case invalidConfigTransaction = 6
    case unsupportedTxPayload = 7
    case badProposalTxID = 8
    case duplicateTxID = 9
    case endorsementPolicyFailure = 10
    case mvccReadConflict = 11
    case phantomReadConflict = 12
    case unknownTxType = 13
    case targetChainNotFound = 14
    case marshalTxError = 15
    case nilTxAction = 16
    case expiredChaincode = 17
    case chaincodeVersionConflict = 18
    case badHeaderExtension = 19
    case badChannelHeader = 20
    case badResponsePayload = 21
    case badRWSet = 22
    case illegalWriteset = 23
    case invalidWriteset = 24
    case invalidChaincode = 25
    /// The creator's certificate does not chain to its organization's CA, is expired, revoked or lacks the role.
    case invalidCreator = 100
    /// An endorsement's signature does not verify over the transaction's response payload (forged, or
    /// made over a different payload than the one submitted).
    case badEndorsement = 101
    case notValidated = 254
    case invalidOtherReason = 255

    /// Fabric-style upper-snake-case name, e.g. `MVCC_READ_CONFLICT`, as shown by the CLI and JSON.
    public var name: String {
        switch self {
        case .valid: "VALID"
        case .nilEnvelope: "NIL_ENVELOPE"
        case .badPayload: "BAD_PAYLOAD"
        case .badCommonHeader: "BAD_COMMON_HEADER"
        case .badCreatorSignature: "BAD_CREATOR_SIGNATURE"
        case .invalidEndorserTransaction: "INVALID_ENDORSER_TRANSACTION"
        case .invalidConfigTransaction: "INVALID_CONFIG_TRANSACTION"
        case .unsupportedTxPayload: "UNSUPPORTED_TX_PAYLOAD"
        case .badProposalTxID: "BAD_PROPOSAL_TXID"
        case .duplicateTxID: "DUPLICATE_TXID"
        case .endorsementPolicyFailure: "ENDORSEMENT_POLICY_FAILURE"
        case .mvccReadConflict: "MVCC_READ_CONFLICT"
        case .phantomReadConflict: "PHANTOM_READ_CONFLICT"
        case .unknownTxType: "UNKNOWN_TX_TYPE"
        case .targetChainNotFound: "TARGET_CHAIN_NOT_FOUND"
        case .marshalTxError: "MARSHAL_TX_ERROR"
        case .nilTxAction: "NIL_TXACTION"
        case .expiredChaincode: "EXPIRED_CHAINCODE"
        case .chaincodeVersionConflict: "CHAINCODE_VERSION_CONFLICT"
        case .badHeaderExtension: "BAD_HEADER_EXTENSION"
        case .badChannelHeader: "BAD_CHANNEL_HEADER"
        case .badResponsePayload: "BAD_RESPONSE_PAYLOAD"
        case .badRWSet: "BAD_RWSET"
        case .illegalWriteset: "ILLEGAL_WRITESET"
        case .invalidWriteset: "INVALID_WRITESET"
        case .invalidChaincode: "INVALID_CHAINCODE"
        case .invalidCreator: "INVALID_CREATOR"
        case .badEndorsement: "BAD_ENDORSEMENT"
        case .notValidated: "NOT_VALIDATED"
        case .invalidOtherReason: "INVALID_OTHER_REASON"
        }
    }

    /// Whether the transaction's writes were applied.
    public var isValid: Bool { self == .valid }

    public var description: String { name }

    /// Looks a code up by its name (`"MVCC_READ_CONFLICT"`).
    public init?(name: String) {
        guard let code = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = code
    }

    public func encode(to writer: inout ByteWriter) { writer.write(rawValue) }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let offset = reader.offset
        let raw = try reader.readUInt8()
        guard let code = ValidationCode(rawValue: raw) else {
            throw .invalidValue(offset: offset, "unknown validation code \(raw)")
        }
        self = code
    }
}
