/// What `CryptoMaterialGenerator` wrote: every organization with its CA and identities. Paths are
/// relative to `directory`; the same document is saved as `<directory>/crypto.json`.
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
    /// Its MSP folder (`msp.json`, `cacerts/`, `admincerts/`), what `Organization.load` reads.
    public var mspPath: String
    /// The CA certificate (PEM).
    public var caCertificatePath: String
    /// The CA private key (PKCS#8 PEM, mode 0600).
    public var caPrivateKeyPath: String
    /// Nodes, then the administrator, then users.
    public var identities: [GeneratedIdentity]
}

/// One generated identity (node, administrator or user).
public struct GeneratedIdentity: Codable, Hashable, Sendable {
    /// Its common name: `peer0.org1`, `orderer0.orderer`, `Admin@org1`, `User1@org1`.
    public var name: String
    /// Its role (the certificate's OU).
    public var role: Role
    /// Its folder (`cert.pem`, `key.pem`, `ca.pem`, `identity.json`), what `SigningIdentity.load` reads.
    public var path: String
    /// The certificate (PEM).
    public var certificatePath: String
    /// The private key (PKCS#8 PEM, mode 0600).
    public var privateKeyPath: String
    /// Subject alternative names: for nodes the host name, `localhost` and `127.0.0.1`; empty for users.
    public var hosts: [String]
}
