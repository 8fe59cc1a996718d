import Identity
import WeftCore
import WeftCrypto

/// An authenticated remote identity: the caller a server's handlers see, and, in a client, the
/// server it is connected to. It exists only after the remote side completed a mutual TLS handshake
/// with its TLS certificate (proving it holds the key) and the injected `Authorizer` accepted that
/// certificate: the MSP id is the organization whose TLS CA issued it, the role its OU.
public struct Caller: Hashable, Sendable, CustomStringConvertible {
    /// The organization's MSP id and the TLS certificate's DER.
    public let identity: SerializedIdentity
    /// The parsed TLS certificate.
    public let certificate: Certificate
    /// The role the authorizer granted (Identity's `Role`, the one set of roles of the project).
    public let role: Role

    /// Creates a caller; an `Authorizer` does this once it has accepted the identity.
    public init(identity: SerializedIdentity, certificate: Certificate, role: Role) {
        self.identity = identity
        self.certificate = certificate
        self.role = role
    }

    /// The organization's MSP id.
    public var mspID: String { identity.mspID }

    /// The first organizational unit of `certificate`'s subject that names a role, if any.
    public static func role(in certificate: Certificate) -> Role? {
        certificate.subject.organizationalUnits.lazy.compactMap(Role.init(rawValue:)).first
    }

    public var description: String {
        let name = certificate.subject.commonName.map { " \($0)" } ?? ""
        return "\(mspID) \(role)\(name)"
    }
}

/// Why an authorizer refused an identity; the reason is sent to the remote side.
public struct AuthorizationRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong with the identity, e.g. "certificate is not issued by Org1MSP's CA".
    public var reason: String

    /// Creates a refusal.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}

/// Decides whether the TLS certificate the other side presented (and proved it holds the key of) may
/// connect, and as which organization and role. The node plugs in MSP validation: the certificate
/// chains to a member organization's TLS CA, is within its validity period, is not revoked, and
/// carries a role that organization may grant. Called during the TLS handshake, off the event loops.
public typealias Authorizer = @Sendable (_ certificate: Certificate) -> Result<Caller, AuthorizationRefusal>

/// Which callers may send a message type.
public enum AllowedCallers: Hashable, Sendable, CustomStringConvertible {
    /// Any caller the authorizer accepted.
    case anyMember
    /// Only callers whose role is in the set.
    case roles(Set<Role>)

    /// Whether `caller` may send the message.
    public func permits(_ caller: Caller) -> Bool {
        switch self {
        case .anyMember: true
        case .roles(let roles): roles.contains(caller.role)
        }
    }

    public var description: String {
        switch self {
        case .anyMember: "any member"
        case .roles(let roles): "role " + roles.map(\.rawValue).sorted().joined(separator: " or ")
        }
    }
}
