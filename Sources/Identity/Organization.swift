import WeftCrypto

/// One organization's membership definition (its MSP): how policies name it, its MSP id, the CA
/// certificates its identities must chain to, its administrators, and its revoked certificates.
public struct Organization: Sendable, Hashable {
    /// The name policies use, e.g. `Org1` in `'Org1.peer'`.
    public var name: String
    /// The MSP id identities carry, e.g. `Org1MSP`.
    public var mspID: String
    /// Root CA certificates; an identity is a member when its certificate chains to one of them.
    public var caCertificates: [Certificate]
    /// Root certificates of the organization's TLS CA: a TLS certificate (server or client) belongs to
    /// the organization when it chains to one of them. Empty for organizations without TLS material.
    public var tlsCACertificates: [Certificate]
    /// Certificates of identities that are administrators even without the `admin` OU.
    public var adminCertificates: [Certificate]
    /// Serial numbers of revoked certificates, lower-case hex without leading zeros
    /// (`Certificate.serialNumberHex`); see `normalizedSerialNumber(_:)`.
    public var revokedSerialNumbers: Set<String>

    /// An organization; revoked serial numbers are normalized (case, `0x`, colons, leading zeros).
    public init(
        name: String,
        mspID: String,
        caCertificates: [Certificate],
        tlsCACertificates: [Certificate] = [],
        adminCertificates: [Certificate] = [],
        revokedSerialNumbers: some Sequence<String> = [String]()
    ) {
        self.name = name
        self.mspID = mspID
        self.caCertificates = caCertificates
        self.tlsCACertificates = tlsCACertificates
        self.adminCertificates = adminCertificates
        self.revokedSerialNumbers = Set(revokedSerialNumbers.compactMap(Self.normalizedSerialNumber))
    }

    /// A serial number in the form `Certificate.serialNumberHex` uses, from hex text such as
    /// `0x00AB:CD` or `abcd`; nil when the text is not hex.
    public static func normalizedSerialNumber(_ text: String) -> String? {
        var hex = text.lowercased().replacing(":", with: "")
        if hex.hasPrefix("0x") { hex.removeFirst(2) }
        guard !hex.isEmpty, hex.allSatisfy(\.isHexDigit) else { return nil }
        let trimmed = hex.drop { $0 == "0" }
        let digits = trimmed.isEmpty ? "0" : String(trimmed)
        return digits.count % 2 == 1 ? "0" + digits : digits
    }
}
