/// Errors of the EVM module's helpers (ABI encoding and decoding). Execution itself never throws:
/// its outcomes are `StatusCode`s.
public enum EVMError: Error, Equatable, CustomStringConvertible {
    /// A function signature that is not `name(type,…)`.
    case invalidSignature(String)
    /// A type name this ABI codec does not know (supported: uint<N>, int<N>, address, bool,
    /// bytes<N>, bytes, string).
    case unsupportedType(String)
    /// The number of arguments differs from the signature.
    case argumentCount(expected: Int, got: Int)
    /// An argument that does not fit its type.
    case invalidArgument(type: String, value: String)
    /// ABI data too short or inconsistent with the types.
    case malformedData(String)

    public var description: String {
        switch self {
        case .invalidSignature(let text): "invalid function signature '\(text)': expected name(type,…), e.g. 'transfer(address,uint256)'"
        case .unsupportedType(let type): "unsupported ABI type '\(type)': use uint<N>, int<N>, address, bool, bytes<N>, bytes or string"
        case .argumentCount(let expected, let got): "expected \(expected) arguments, got \(got)"
        case .invalidArgument(let type, let value): "'\(value)' is not a valid \(type)"
        case .malformedData(let why): "malformed ABI data: \(why)"
        }
    }
}
