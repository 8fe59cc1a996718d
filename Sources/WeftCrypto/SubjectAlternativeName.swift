import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A subject alternative name of a certificate: a DNS name or an IP address.
public enum SubjectAlternativeName: Hashable, Sendable, CustomStringConvertible {
    /// A host name, e.g. `peer0.org1` or `localhost`.
    case dnsName(String)
    /// An IPv4 or IPv6 address in its textual form, e.g. `127.0.0.1` or `::1`.
    case ipAddress(String)

    /// An IP name when `host` is an IPv4 or IPv6 address, a DNS name otherwise.
    public init(host: String) {
        self = Self.addressBytes(host) == nil ? .dnsName(host) : .ipAddress(host)
    }

    /// `DNS:peer0.org1` or `IP:127.0.0.1`, as OpenSSL prints them.
    public var description: String {
        switch self {
        case .dnsName(let name): "DNS:\(name)"
        case .ipAddress(let address): "IP:\(address)"
        }
    }

    /// The address bytes of an IP name (4 or 16), or nil if the text is not an address.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &v4) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &v6) == 1 { return v6 }
        return nil
    }

    /// The textual form of 4 or 16 address bytes.
    static func addressText(_ bytes: [UInt8]) -> String? {
        let family: Int32
        switch bytes.count {
        case 4: family = AF_INET
        case 16: family = AF_INET6
        default: return nil
        }
        var text = [CChar](repeating: 0, count: 64)
        guard inet_ntop(family, bytes, &text, socklen_t(text.count)) != nil else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A new `GENERAL_NAME` for this name; the caller owns it.
    func makeGeneralName() throws(CryptoError) -> UnsafeMutablePointer<GENERAL_NAME> {
        let type: Int32
        let value: [UInt8]
        switch self {
        case .dnsName(let name):
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
                throw .malformed("DNS name '\(name)': expected non-empty printable ASCII without spaces")
            }
            (type, value) = (GEN_DNS, Array(name.utf8))
        case .ipAddress(let address):
            guard let bytes = Self.addressBytes(address) else {
                throw .malformed("IP address '\(address)': expected IPv4 (127.0.0.1) or IPv6 (::1)")
            }
            (type, value) = (GEN_IPADD, bytes)
        }
        guard let string = ASN1_STRING_type_new(type == GEN_DNS ? V_ASN1_IA5STRING : V_ASN1_OCTET_STRING) else {
            throw .fromQueue("ASN1_STRING_type_new")
        }
        guard ASN1_STRING_set(string, value, Int32(value.count)) == 1, let general = GENERAL_NAME_new() else {
            ASN1_STRING_free(string)
            throw .fromQueue("GENERAL_NAME_new")
        }
        GENERAL_NAME_set0_value(general, type, UnsafeMutableRawPointer(string))
        return general
    }

    /// Reads a `GENERAL_NAME` (borrowed); nil for kinds Weft does not use (email, URI, …).
    init?(generalName: UnsafePointer<GENERAL_NAME>) {
        var type: Int32 = 0
        guard let value = GENERAL_NAME_get0_value(generalName, &type) else { return nil }
        let string = value.assumingMemoryBound(to: ASN1_STRING.self)
        guard let data = ASN1_STRING_get0_data(string) else { return nil }
        let bytes = Array(UnsafeBufferPointer<UInt8>(start: data, count: Int(ASN1_STRING_length(string))))
        switch type {
        case GEN_DNS: self = .dnsName(String(decoding: bytes, as: UTF8.self))
        case GEN_IPADD:
            guard let text = Self.addressText(bytes) else { return nil }
            self = .ipAddress(text)
        default: return nil
        }
    }
}
