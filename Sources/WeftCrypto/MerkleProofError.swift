/// Why a Merkle inclusion or consistency proof was not accepted, or could not be built.
public enum MerkleProofError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The leaf index or tree sizes are out of range for the operation.
    case invalidSize(String)
    /// The proof has the wrong number of hashes for the sizes it claims.
    case wrongProofLength(expected: Int, actual: Int)
    /// A hash in the input is not 32 bytes.
    case malformedHash(String)
    /// The proof is well formed but leads to a different root.
    case rootMismatch(expected: [UInt8], computed: [UInt8])

    public var description: String {
        switch self {
        case let .invalidSize(why): "invalid Merkle proof sizes: \(why)"
        case let .wrongProofLength(expected, actual): "Merkle proof has \(actual) hashes, expected \(expected)"
        case let .malformedHash(what): "malformed Merkle hash: \(what)"
        case let .rootMismatch(expected, computed):
            "Merkle proof leads to root \(Self.hex(computed)), expected \(Self.hex(expected))"
        }
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
    }
}
