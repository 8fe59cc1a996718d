import WeftCrypto

/// A function of a contract's ABI, from its signature, e.g. `transfer(address,uint256)`.
public struct ABIFunction: Sendable, Equatable {
    public let name: String
    public let inputs: [ABIType]

    /// Parses `name(type,…)`; the types are canonicalized (`uint` → `uint256`).
    public init(signature: String) throws {
        let text = signature.filter { $0 != " " }
        guard let open = text.firstIndex(of: "("), text.last == ")" else { throw EVMError.invalidSignature(signature) }
        name = String(text[..<open])
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw EVMError.invalidSignature(signature)
        }
        let list = text[text.index(after: open)..<text.index(before: text.endIndex)]
        inputs = try list.isEmpty ? [] : list.split(separator: ",", omittingEmptySubsequences: false).map {
            try ABIType(parsing: String($0))
        }
    }

    /// The canonical signature, e.g. `transfer(address,uint256)`.
    public var signature: String { "\(name)(\(inputs.map(\.description).joined(separator: ",")))" }

    /// The first four bytes of Keccak-256 of the canonical signature.
    public var selector: [UInt8] { Array(Keccak256.hash(Array(signature.utf8))[..<4]) }

    /// Call data: selector and encoded arguments.
    public func encodeCall(_ arguments: [ABIValue]) throws -> [UInt8] {
        try selector + ABI.encode(arguments, as: inputs)
    }

    /// Call data from command-line text arguments.
    public func encodeCall(parsing arguments: [String]) throws -> [UInt8] {
        guard arguments.count == inputs.count else { throw EVMError.argumentCount(expected: inputs.count, got: arguments.count) }
        return try encodeCall(zip(arguments, inputs).map { try ABIValue(parsing: $0, as: $1) })
    }
}
