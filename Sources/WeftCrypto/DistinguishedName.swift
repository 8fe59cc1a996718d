import COpenSSL

/// The parts of an X.509 subject or issuer name that Weft uses: organization (O), organizational
/// units (OU — Weft puts the role there) and common name (CN).
public struct DistinguishedName: Hashable, Sendable, CustomStringConvertible {
    /// O, e.g. `Org1`.
    public var organization: String?
    /// Every OU, in certificate order, e.g. `["peer"]`.
    public var organizationalUnits: [String]
    /// CN, e.g. `peer0.org1`.
    public var commonName: String?

    /// A name from its parts.
    public init(organization: String? = nil, organizationalUnits: [String] = [], commonName: String? = nil) {
        self.organization = organization
        self.organizationalUnits = organizationalUnits
        self.commonName = commonName
    }

    /// `O=Org1, OU=peer, CN=peer0.org1` (the parts present).
    public var description: String {
        var parts: [String] = []
        if let organization { parts.append("O=\(organization)") }
        parts += organizationalUnits.map { "OU=\($0)" }
        if let commonName { parts.append("CN=\(commonName)") }
        return parts.joined(separator: ", ")
    }

    /// Reads O, OU and CN from an `X509_NAME` (borrowed); other attributes are ignored.
    init(x509Name name: OpaquePointer) throws(CryptoError) {
        self.init()
        for index in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, index),
                  let data = X509_NAME_ENTRY_get_data(entry) else { continue }
            let nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))
            guard nid == NID_organizationName || nid == NID_organizationalUnitName || nid == NID_commonName else {
                continue
            }
            let value = try Self.utf8(UnsafePointer(data))
            switch nid {
            case NID_organizationName where organization == nil: organization = value
            case NID_organizationalUnitName: organizationalUnits.append(value)
            case NID_commonName where commonName == nil: commonName = value
            default: break
            }
        }
    }

    /// A new `X509_NAME` holding O, every OU, then CN; the caller frees it.
    func makeX509Name() throws(CryptoError) -> OpaquePointer {
        guard let name = X509_NAME_new() else { throw .fromQueue("X509_NAME_new") }
        var entries: [(Int32, String)] = []
        if let organization { entries.append((NID_organizationName, organization)) }
        entries += organizationalUnits.map { (NID_organizationalUnitName, $0) }
        if let commonName { entries.append((NID_commonName, commonName)) }
        for (nid, value) in entries {
            guard !value.isEmpty else {
                X509_NAME_free(name)
                throw .malformed("name attribute \(String(cString: OBJ_nid2sn(nid))) is empty")
            }
            let bytes = Array(value.utf8)
            guard X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0) == 1 else {
                X509_NAME_free(name)
                throw .fromQueue("X509_NAME_add_entry_by_NID(\(String(cString: OBJ_nid2sn(nid))))")
            }
        }
        return name
    }

    private static func utf8(_ string: UnsafePointer<ASN1_STRING>) throws(CryptoError) -> String {
        var out: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&out, string)
        guard length >= 0, let out else { throw .malformed("certificate name: \(OpenSSLErrorQueue.drain())") }
        defer { weft_openssl_free(out) }
        return String(decoding: UnsafeBufferPointer(start: out, count: Int(length)), as: UTF8.self)
    }
}
