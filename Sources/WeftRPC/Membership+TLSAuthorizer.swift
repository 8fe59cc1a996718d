#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity

extension Membership {
    /// An RPC authorizer over the organizations' TLS CAs: a TLS certificate is admitted when it is
    /// valid now, issued by a member organization's TLS CA (which gives the caller's MSP id), not
    /// revoked, and carries a role its organization may grant — and, when `role` is given, that role.
    public func tlsAuthorizer(requiring role: Role? = nil) -> Authorizer {
        let membership = self
        return { certificate in
            switch membership.validateTLS(certificate, at: Date()) {
            case .success(let validated):
                if let role, !validated.hasRole(role) {
                    return .failure(AuthorizationRefusal("\(validated.mspID) \(validated.role) \(certificate.subject.commonName ?? "") is not a \(role)"))
                }
                return .success(Caller(identity: validated.serialized, certificate: certificate,
                                       role: validated.isAdmin ? .admin : validated.role))
            case .failure(let failure):
                return .failure(AuthorizationRefusal("\(failure)"))
            }
        }
    }
}
