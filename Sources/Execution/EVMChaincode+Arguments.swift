import EVM
import WeftCore
import WeftCrypto

/// Building the `evm` chaincode's arguments and reading its results: the library side of
/// `weft evm deploy|call|query`. Errors are `EVMError`s that name the bad value.
extension EVMChaincode {
    /// The arguments of `deploy`: the initcode followed by the constructor arguments, ABI-encoded as
    /// `constructorTypes` (e.g. `(string,string,uint8,uint256)`; empty for none), as one hex string.
    public static func deployArguments(initCode: [UInt8], constructorTypes: String = "", arguments: [String] = []) throws -> [String] {
        let encoded = try ABI.encode(parsing: arguments, as: ABI.types(parsing: constructorTypes))
        return ["0x" + Hex.encode(initCode + encoded)]
    }

    /// The arguments of `call`: the contract's address and the call data for `signature` (e.g.
    /// `transfer(address,uint256)`) with `arguments` as text (decimal or 0x-hex numbers, 0x-hex addresses
    /// and bytes, true/false, strings as they are).
    public static func callArguments(contract: String, signature: String, arguments: [String]) throws -> [String] {
        guard let address = Address(hex: contract) else { throw EVMError.invalidArgument(type: "address", value: contract) }
        let calldata = try ABIFunction(signature: signature).encodeCall(parsing: arguments)
        return [address.description, "0x" + Hex.encode(calldata)]
    }

    /// The values of a `call` response's payload, decoded as `returnTypes` (e.g. `(uint256)`; empty for
    /// none) and rendered as text.
    public static func decodeResult(_ payload: [UInt8], returnTypes: String) throws -> [String] {
        try ABI.decodeText(payload, as: returnTypes)
    }

    /// The contract address in a `deploy` response's payload.
    public static func deployedAddress(_ payload: [UInt8]) throws -> Address {
        let text = String(decoding: payload, as: UTF8.self)
        guard let address = Address(hex: text) else { throw EVMError.malformedData("deploy result \"\(text.prefix(80))\" is not an address") }
        return address
    }

    /// The EVM address (CALLER/ORIGIN) of the holder of a DER certificate: the last 20 bytes of Keccak-256
    /// of its uncompressed P-256 public key point without the 0x04 prefix. Parses through
    /// `VerifyingKeyCache.shared`, so a repeat submitter costs one hash.
    public static func address(ofCertificate der: [UInt8]) throws -> Address {
        let key = try VerifyingKeyCache.shared.key(certificateDER: der)
        guard let address = Address(publicKeyPoint: key.uncompressedPoint) else {
            throw EVMError.malformedData("public key point of \(key.uncompressedPoint.count) bytes")
        }
        return address
    }
}
