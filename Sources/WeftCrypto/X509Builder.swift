import COpenSSL
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Builds and signs X.509 v3 certificates with OpenSSL's X509 API.
enum X509Builder {
    /// The X.509v3 extensions of a self-signed CA certificate.
    static let authorityExtensions: [(Int32, String)] = [
        (NID_basic_constraints, "critical,CA:TRUE"),
        (NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature"),
        (NID_subject_key_identifier, "hash"),
    ]

    /// The X.509v3 extensions of a leaf (node, user or admin) certificate.
    static let leafExtensions: [(Int32, String)] = [
        (NID_basic_constraints, "critical,CA:FALSE"),
        (NID_key_usage, "critical,digitalSignature"),
        (NID_ext_key_usage, "serverAuth,clientAuth"),
        (NID_subject_key_identifier, "hash"),
        (NID_authority_key_identifier, "keyid:always"),
    ]

    /// Everything a certificate needs; `issuer` nil means self-signed.
    struct Fields {
        var subject: DistinguishedName
        var publicKey: P256VerifyingKey
        var subjectAlternativeNames: [SubjectAlternativeName]
        var serialNumber: [UInt8]?
        var notBefore: Date
        var notAfter: Date
        var extensions: [(Int32, String)]
    }

    /// Builds the certificate described by `fields`, signed by `signingKey` on behalf of `issuer`
    /// (or self-signed when `issuer` is nil).
    static func build(
        _ fields: Fields,
        issuer: Certificate?,
        signingKey: P256SigningKey,
        highS: Bool = false
    ) throws(CryptoError) -> Certificate {
        guard fields.notBefore < fields.notAfter else {
            throw .malformed("validity: notBefore \(fields.notBefore) is not before notAfter \(fields.notAfter)")
        }
        guard let x509 = X509_new() else { throw .fromQueue("X509_new") }
        let object = X509Object(taking: x509)
        guard X509_set_version(x509, 2) == 1 else { throw .fromQueue("X509_set_version") }
        try setSerialNumber(x509, fields.serialNumber)
        try setNames(x509, subject: fields.subject, issuer: issuer)
        try setTime(x509, fields.notBefore, X509_set1_notBefore, "notBefore")
        try setTime(x509, fields.notAfter, X509_set1_notAfter, "notAfter")
        guard X509_set_pubkey(x509, fields.publicKey.key.pointer) == 1 else { throw .fromQueue("X509_set_pubkey") }
        try addExtensions(x509, fields.extensions, issuer: issuer?.object.pointer ?? x509)
        try addAlternativeNames(x509, fields.subjectAlternativeNames)
        // ECDSA is randomized: sign again until S is low, so every certificate Weft issues has the one
        // signature form its MSP accepts (Fabric's CAs normalize the same way). Two tries on average.
        // (`highS` asks for the other form, for tests of the refusal.)
        for _ in 0..<64 {
            guard X509_sign(x509, signingKey.key.pointer, EVP_sha256()) > 0 else { throw .fromQueue("X509_sign") }
            let certificate = try Certificate(object: object)
            if certificate.hasLowSSignature != highS { return certificate }
        }
        throw .malformed("X509_sign: no \(highS ? "high" : "low")-S signature in 64 tries")
    }

    /// A random positive 16-byte serial number.
    static func randomSerialNumber() throws(CryptoError) -> [UInt8] {
        var bytes = try SecureRandom.bytes(count: 16)
        bytes[0] = bytes[0] & 0x7f | 0x40
        return bytes
    }

    private static func setSerialNumber(_ x509: OpaquePointer, _ requested: [UInt8]?) throws(CryptoError) {
        let serial: [UInt8]
        if let requested { serial = Array(requested.drop { $0 == 0 }) } else { serial = try randomSerialNumber() }
        guard !serial.isEmpty, serial.count <= 20 else {
            throw .malformed("serial number: expected 1 to 20 bytes, not all zero (RFC 5280)")
        }
        guard let number = BN_bin2bn(serial, Int32(serial.count), nil) else { throw .fromQueue("BN_bin2bn") }
        defer { BN_free(number) }
        guard let integer = BN_to_ASN1_INTEGER(number, nil) else { throw .fromQueue("BN_to_ASN1_INTEGER") }
        defer { ASN1_INTEGER_free(integer) }
        guard X509_set_serialNumber(x509, integer) == 1 else { throw .fromQueue("X509_set_serialNumber") }
    }

    private static func setNames(_ x509: OpaquePointer, subject: DistinguishedName, issuer: Certificate?) throws(CryptoError) {
        let name = try subject.makeX509Name()
        defer { X509_NAME_free(name) }
        guard X509_set_subject_name(x509, name) == 1 else { throw .fromQueue("X509_set_subject_name") }
        // The issuer name is copied byte for byte from the CA, so chain building matches it exactly.
        let issuerName = issuer.flatMap { X509_get_subject_name($0.object.pointer) } ?? name
        guard X509_set_issuer_name(x509, issuerName) == 1 else { throw .fromQueue("X509_set_issuer_name") }
    }

    private static func setTime(
        _ x509: OpaquePointer,
        _ date: Date,
        _ setter: (OpaquePointer?, UnsafePointer<ASN1_TIME>?) -> Int32,
        _ field: String
    ) throws(CryptoError) {
        guard let time = ASN1_TIME_set(nil, time_t(date.timeIntervalSince1970.rounded(.down))) else {
            throw .fromQueue("ASN1_TIME_set(\(field))")
        }
        defer { ASN1_TIME_free(time) }
        guard setter(x509, time) == 1 else { throw .fromQueue("X509_set1_\(field)") }
    }

    private static func addExtensions(_ x509: OpaquePointer, _ extensions: [(Int32, String)], issuer: OpaquePointer) throws(CryptoError) {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer, x509, nil, nil, 0)
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw .fromQueue("X509V3_EXT_conf_nid(\(String(cString: OBJ_nid2sn(nid))))")
            }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(x509, ext, -1) == 1 else { throw .fromQueue("X509_add_ext") }
        }
    }

    private static func addAlternativeNames(_ x509: OpaquePointer, _ names: [SubjectAlternativeName]) throws(CryptoError) {
        guard !names.isEmpty else { return }
        guard let stack = GENERAL_NAMES_new() else { throw .fromQueue("GENERAL_NAMES_new") }
        defer { GENERAL_NAMES_free(stack) }
        for name in names {
            let general = try name.makeGeneralName()
            guard OPENSSL_sk_push(stack, general) > 0 else {
                GENERAL_NAME_free(general)
                throw .fromQueue("OPENSSL_sk_push")
            }
        }
        guard X509_add1_ext_i2d(x509, NID_subject_alt_name, UnsafeMutableRawPointer(stack), 0, UInt(X509V3_ADD_DEFAULT)) == 1 else {
            throw .fromQueue("X509_add1_ext_i2d(subjectAltName)")
        }
    }
}
