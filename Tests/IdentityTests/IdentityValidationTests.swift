import Foundation
import Testing
import WeftCore
import WeftCrypto
import WeftTestSupport
@testable import Identity

/// Identity validation: every rejection reason, and the cached validator.
@Suite struct IdentityValidationTests {
    let org1: TestOrganization
    let org2: TestOrganization
    let membership: Membership

    init() throws {
        org1 = try TestOrganization("Org1")
        org2 = try TestOrganization("Org2")
        membership = try Membership(organizations: [org1.organization(), org2.organization()])
    }

    var now: Date { TestOrganization.now }

    @Test func validPeerIdentity() throws {
        let certificate = try org1.certificate("peer0.org1", units: ["peer"])
        let identity = try membership.validate(org1.serialized(certificate), at: now).get()
        #expect(identity.role == .peer)
        #expect(identity.organization == "Org1")
        #expect(identity.mspID == "Org1MSP")
        #expect(!identity.isAdmin)
        #expect(identity.publicKey == certificate.publicKey)
        #expect(identity.hasRole(.peer) && !identity.hasRole(.client))
    }

    @Test func everyRoleIsRecognised() throws {
        for role in Role.allCases {
            let certificate = try org1.certificate("x", units: [role.rawValue])
            #expect(try membership.validate(org1.serialized(certificate), at: now).get().role == role)
        }
        // The first OU that names a role counts; other OUs are ignored.
        let mixed = try org1.certificate("x", units: ["department-7", "client", "peer"])
        #expect(try membership.validate(org1.serialized(mixed), at: now).get().role == .client)
    }

    @Test func unknownOrganization() throws {
        let certificate = try org1.certificate("peer0", units: ["peer"])
        let identity = SerializedIdentity(mspID: "Org9MSP", certificate: certificate.derRepresentation)
        #expect(membership.validate(identity, at: now) == .failure(.unknownOrganization(mspID: "Org9MSP")))
    }

    @Test func anotherOrganizationsCA() throws {
        // Issued by Org2's CA but presented as Org1.
        let certificate = try org2.certificate("peer0.org2", units: ["peer"])
        let result = membership.validate(org1.serialized(certificate), at: now)
        guard case .failure(.notSignedByOrgCA(let detail)) = result else {
            Issue.record("expected notSignedByOrgCA, got \(result)")
            return
        }
        #expect(detail.contains("untrustedIssuer"))
        // A CA that copies Org1's name cannot impersonate it.
        let impostor = try TestOrganization("Org1")
        let forged = try impostor.certificate("peer0.org1", units: ["peer"])
        guard case .failure(.notSignedByOrgCA) = membership.validate(org1.serialized(forged), at: now) else {
            Issue.record("a certificate from an impostor CA was accepted")
            return
        }
    }

    @Test func expiredAndNotYetValid() throws {
        let day = TestOrganization.day
        let certificate = try org1.certificate("peer0", units: ["peer"], notBefore: now - day, notAfter: now + day)
        let identity = org1.serialized(certificate)
        #expect((try? membership.validate(identity, at: now).get()) != nil)
        guard case .failure(.expired) = membership.validate(identity, at: now + 2 * day) else {
            Issue.record("expected expired")
            return
        }
        guard case .failure(.notYetValid) = membership.validate(identity, at: now - 2 * day) else {
            Issue.record("expected notYetValid")
            return
        }
    }

    @Test func revoked() throws {
        let certificate = try org1.certificate("user1", units: ["client"])
        let serial = certificate.serialNumberHex
        let revoking = try Membership(organizations: [org1.organization(revoked: ["0x00" + serial.uppercased()])])
        #expect(revoking.validate(org1.serialized(certificate), at: now) == .failure(.revoked(serialNumber: serial)))
        #expect((try? membership.validate(org1.serialized(certificate), at: now).get()) != nil)
    }

    @Test func missingRole() throws {
        let certificate = try org1.certificate("nobody", units: [])
        #expect(membership.validate(org1.serialized(certificate), at: now) == .failure(.missingRole))
        let unrelated = try org1.certificate("nobody", units: ["marketing", "Peer"])
        #expect(membership.validate(org1.serialized(unrelated), at: now) == .failure(.missingRole))
    }

    @Test func wrongRoleForTheAction() throws {
        let validator = IdentityValidator(membership: membership)
        let client = org1.serialized(try org1.certificate("user1", units: ["client"]))
        #expect(validator.validate(client, at: now, requiring: .peer) == .failure(.wrongRole(expected: .peer, actual: .client)))
        #expect((try? validator.validate(client, at: now, requiring: .client).get()) != nil)
        let admin = org1.serialized(try org1.certificate("admin", units: ["admin"]))
        #expect(validator.validate(admin, at: now, requiring: .orderer) == .failure(.wrongRole(expected: .orderer, actual: .admin)))
        #expect((try? validator.validate(admin, at: now, requiring: .admin).get()) != nil)
    }

    @Test func malformedCertificateBytes() throws {
        for bytes: [UInt8] in [[], [0x30], [0x30, 0x82, 0x01, 0x00], Array("not a certificate".utf8)] {
            let identity = SerializedIdentity(mspID: "Org1MSP", certificate: bytes)
            guard case .failure(.malformedCertificate(let why)) = membership.validate(identity, at: now) else {
                Issue.record("bytes \(bytes) were not reported as malformed")
                continue
            }
            #expect(why.contains("X.509 certificate"))
        }
        var truncated = try org1.certificate("peer0", units: ["peer"]).derRepresentation
        truncated.removeLast(10)
        guard case .failure(.malformedCertificate) = membership.validate(SerializedIdentity(mspID: "Org1MSP", certificate: truncated), at: now) else {
            Issue.record("a truncated certificate was not reported as malformed")
            return
        }
    }

    @Test func caCertificateIsNotAnIdentity() {
        let identity = org1.serialized(org1.authority.certificate)
        #expect(membership.validate(identity, at: now) == .failure(.certificateAuthorityAsIdentity))
    }

    @Test func tamperedCertificateIsRejected() throws {
        var der = try org1.certificate("peer0", units: ["peer"]).derRepresentation
        der[der.count - 1] ^= 0x01
        guard case .failure(.notSignedByOrgCA(let detail)) = membership.validate(SerializedIdentity(mspID: "Org1MSP", certificate: der), at: now) else {
            Issue.record("a tampered certificate was accepted")
            return
        }
        #expect(detail.contains("signatureFailure"))
    }

    @Test func membershipRejectsInconsistentOrganizations() throws {
        #expect(throws: IdentityError.self) { try Membership(organizations: [org1.organization(), org1.organization()]) }
        let noCA = Organization(name: "Org3", mspID: "Org3MSP", caCertificates: [])
        #expect(throws: IdentityError.invalidMembership("organization Org3 (Org3MSP) has no CA certificate")) {
            try Membership(organizations: [noCA])
        }
        #expect(membership.organization(named: "Org1")?.mspID == "Org1MSP")
        #expect(membership.organization(named: "Org2MSP")?.name == "Org2")
        #expect(membership.organization(named: "Org9") == nil)
    }

    @Test func serialNumberNormalisation() {
        #expect(Organization.normalizedSerialNumber("0x00AB:CD") == "abcd")
        #expect(Organization.normalizedSerialNumber("abc") == "0abc")
        #expect(Organization.normalizedSerialNumber("0") == "00")
        #expect(Organization.normalizedSerialNumber("xyz") == nil)
        #expect(Organization.normalizedSerialNumber("") == nil)
    }

    @Test func cachedValidatorAgreesAndRespectsTime() throws {
        let validator = IdentityValidator(membership: membership, capacity: 4)
        let day = TestOrganization.day
        let certificate = try org1.certificate("peer0", units: ["peer"], notBefore: now - day, notAfter: now + day)
        let identity = org1.serialized(certificate)
        let first = try validator.validate(identity, at: now).get()
        #expect(validator.count == 1)
        let second = try validator.validate(identity, at: now + 3600).get()
        #expect(first == second)
        #expect(validator.count == 1)
        // A remembered success does not outlive the certificate.
        guard case .failure(.expired) = validator.validate(identity, at: now + 2 * day) else {
            Issue.record("cached identity outlived its certificate")
            return
        }
        guard case .failure(.notYetValid) = validator.validate(identity, at: now - 2 * day) else {
            Issue.record("cached identity valid before its certificate")
            return
        }
        #expect((try? validator.validate(identity, at: now).get()) != nil)
        // Failures are remembered and reported the same way.
        let stranger = org1.serialized(try org2.certificate("peer0.org2", units: ["peer"]))
        let failure = validator.validate(stranger, at: now)
        #expect(validator.validate(stranger, at: now) == failure)
        // Bounded.
        for index in 0..<10 {
            _ = validator.validate(org1.serialized(try org1.certificate("p\(index)", units: ["peer"])), at: now)
        }
        #expect(validator.count <= 4)
    }

    @Test func cachedValidatorIsSafeAcrossThreads() async throws {
        let validator = IdentityValidator(membership: membership, capacity: 64)
        let identities = try (0..<8).map { org1.serialized(try org1.certificate("peer\($0)", units: ["peer"])) }
        let now = self.now
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for round in 0..<50 {
                        let identity = identities[(task + round) % identities.count]
                        guard case .success(let validated) = validator.validate(identity, at: now, requiring: .peer),
                              validated.serialized == identity else { return false }
                    }
                    return true
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: true, count: 8))
    }

    @Test func transactionIDCommitsToNonceAndCreator() throws {
        let creator = org1.serialized(try org1.certificate("user1", units: ["client"]))
        let nonce = [UInt8](repeating: 7, count: 24)
        let txID = TransactionID.compute(nonce: nonce, creator: creator)
        #expect(txID == Hex.encode(SHA256.hash(nonce + creator.canonicalBytes)))
        #expect(txID.count == 64)
        #expect(TransactionID.matches(txID, nonce: nonce, creator: creator))
        #expect(!TransactionID.matches(txID, nonce: [UInt8](repeating: 8, count: 24), creator: creator))
        let other = SerializedIdentity(mspID: "Org2MSP", certificate: creator.certificate)
        #expect(TransactionID.compute(nonce: nonce, creator: other) != txID)
        // A fixed vector, so the layout cannot drift: nonce 0x00…17, creator ("Org1MSP", [0x30, 0x00]).
        let fixed = TransactionID.compute(nonce: Array(0..<24), creator: SerializedIdentity(mspID: "Org1MSP", certificate: [0x30, 0x00]))
        #expect(fixed == Hex.encode(SHA256.hash(Array(0..<24) + [0, 0, 0, 7] + Array("Org1MSP".utf8) + [0, 0, 0, 2, 0x30, 0x00])))
    }
}
