/// What `CryptoMaterialGenerator` wrote: every organization with its CAs (signing and TLS) and
/// identities. Paths are relative to `directory`; the same document is saved as
/// `<directory>/crypto.json`.
public struct CryptoMaterial: Codable, Hashable, Sendable {
    /// The output folder, as given.
    public var directory: String
    /// The orderer organization first, then the peer organizations.
    public var organizations: [GeneratedOrganization]

    /// The organization with this policy name or MSP id.
    public func organization(_ nameOrMSPID: String) -> GeneratedOrganization? {
        organizations.first { $0.name == nameOrMSPID || $0.mspID == nameOrMSPID }
    }
}

/// One organization's generated material.
public struct GeneratedOrganization: Codable, Hashable, Sendable {
    /// Policy name, e.g. `Org1`.
    public var name: String
    /// MSP id, e.g. `Org1MSP`.
    public var mspID: String
    /// DNS domain of its hosts, e.g. `org1`.
    public var domain: String
    /// `peer` or `orderer`.
    public var kind: String
    /// The organization's folder.
    public var path: String
    /// Its MSP folder (`msp.json`, `cacerts/`, `tlscacerts/`, `admincerts/`), what `Organization.load` reads.
    public var mspPath: String
    /// The CA certificate (PEM), which issues the identities' signing certificates.
    public var caCertificatePath: String
    /// The CA private key (PKCS#8 PEM, mode 0600).
    public var caPrivateKeyPath: String
    /// The TLS CA certificate (PEM), which issues the identities' TLS certificates; also in
    /// `msp/tlscacerts/`.
    public var tlsCACertificatePath: String
    /// The TLS CA private key (PKCS#8 PEM, mode 0600); `CryptoMaterialRenewal` signs with it.
    public var tlsCAPrivateKeyPath: String
    /// Nodes, then the administrator, then users.
    public var identities: [GeneratedIdentity]
}

/// One generated identity (node, administrator or user).
public struct GeneratedIdentity: Codable, Hashable, Sendable {
    /// Its common name: `peer0.org1`, `orderer0.orderer`, `Admin@org1`, `User1@org1`.
    public var name: String
    /// Its role (the certificate's OU).
    public var role: Role
    /// Its folder (`cert.pem`, `key.pem`, `ca.pem`, `identity.json`), what `SigningIdentity.load` reads;
    /// its TLS material is in the `tls/` folder inside.
    public var path: String
    /// The signing certificate (PEM).
    public var certificatePath: String
    /// The signing private key (PKCS#8 PEM, mode 0600).
    public var privateKeyPath: String
    /// The TLS certificate (PEM; `tls/cert.pem`), issued by the organization's TLS CA, whose
    /// certificate is beside it as `tls/ca.pem`.
    public var tlsCertificatePath: String
    /// The TLS private key (PKCS#8 PEM, mode 0600; `tls/key.pem`), separate from the signing key.
    public var tlsPrivateKeyPath: String
    /// Subject alternative names of both certificates: for nodes the host name, `localhost`,
    /// `127.0.0.1` and the expanded host patterns of the specification; empty for users.
    public var hosts: [String]
}
