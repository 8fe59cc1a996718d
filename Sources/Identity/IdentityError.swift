import WeftCrypto

/// Failures of the Identity module's infrastructure: configuration, files, and the crypto layer.
///
/// An identity or a policy that does not check out is not an error but a result
/// (`IdentityValidationFailure`, `EndorsementPolicy.isSatisfied`); policy text that does not parse
/// throws `PolicyParseError`.
public enum IdentityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A crypto-material description (flags or YAML) is invalid; the text says what to change.
    case invalidSpecification(String)
    /// A set of organizations is inconsistent (for example two share an MSP id).
    case invalidMembership(String)
    /// Generation would overwrite existing material at `path`.
    case materialExists(path: String)
    /// A file or folder could not be read or written.
    case fileSystem(path: String, reason: String)
    /// A file of an MSP or identity folder is missing or invalid.
    case malformedMaterial(path: String, reason: String)
    /// The crypto layer failed.
    case crypto(CryptoError)
    /// Crypto material has no identity called `name`; `known` are the names it has, in `crypto.json` order.
    case unknownIdentity(name: String, known: [String])

    public var description: String {
        switch self {
        case .invalidSpecification(let why): "invalid crypto specification: \(why)"
        case .invalidMembership(let why): "invalid organizations: \(why)"
        case .materialExists(let path): "\(path) already exists; pass --force (overwrite: true) to replace it"
        case let .fileSystem(path, reason): "\(path): \(reason)"
        case let .malformedMaterial(path, reason): "\(path): \(reason)"
        case .crypto(let error): error.description
        case let .unknownIdentity(name, known):
            "no identity '\(name)' in the crypto material; known: "
                + known.prefix(30).joined(separator: ", ") + (known.count > 30 ? ", … (\(known.count) in all)" : "")
        }
    }
}
