import COpenSSL

/// PEM armour (RFC 7468) through OpenSSL's generic PEM reader and writer.
public enum PEM {
    /// Label of a PKCS#8 private key block.
    public static let privateKeyLabel = "PRIVATE KEY"
    /// Label of an SPKI public key block.
    public static let publicKeyLabel = "PUBLIC KEY"
    /// Label of an X.509 certificate block.
    public static let certificateLabel = "CERTIFICATE"

    /// One decoded PEM block.
    public struct Block: Hashable, Sendable {
        /// The label between `-----BEGIN ` and `-----`, e.g. `CERTIFICATE`.
        public var label: String
        /// The decoded DER bytes.
        public var der: [UInt8]
    }

    /// Every PEM block in `text`, in order. Text outside blocks is ignored, as OpenSSL does.
    public static func blocks(in text: String) throws(CryptoError) -> [Block] {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .malformed("PEM: empty input") }
        return try OpenSSLBytes.withReadBIO(bytes) { bio throws(CryptoError) in
            var blocks: [Block] = []
            while true {
                var name: UnsafeMutablePointer<CChar>?
                var header: UnsafeMutablePointer<CChar>?
                var data: UnsafeMutablePointer<UInt8>?
                var length = 0
                guard PEM_read_bio(bio, &name, &header, &data, &length) == 1 else {
                    // The reader ends with "no start line" once the input is exhausted.
                    let reason = OpenSSLErrorQueue.drain()
                    if blocks.isEmpty { throw .malformed("PEM: \(reason)") }
                    return blocks
                }
                defer {
                    weft_openssl_free(name)
                    weft_openssl_free(header)
                    weft_openssl_free(data)
                }
                let label = name.map { String(cString: $0) } ?? ""
                let der = data.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
                blocks.append(Block(label: label, der: der))
            }
        }
    }

    /// The DER bytes of the first block labelled `label`; throws naming the labels found otherwise.
    public static func decode(_ text: String, label: String) throws(CryptoError) -> [UInt8] {
        let found = try blocks(in: text)
        if let block = found.first(where: { $0.label == label }) { return block.der }
        let labels = found.map { "'\($0.label)'" }.joined(separator: ", ")
        throw .malformed("PEM: expected a '\(label)' block, found \(labels)")
    }

    /// `der` armoured as a PEM block with `label` (64-character base64 lines, trailing newline).
    public static func encode(_ der: [UInt8], label: String) -> String {
        let base64 = Array(base64Encoded(der).utf8)
        var text = "-----BEGIN \(label)-----\n"
        var start = 0
        while start < base64.count {
            let end = min(start + 64, base64.count)
            text += String(decoding: base64[start..<end], as: UTF8.self) + "\n"
            start = end
        }
        return text + "-----END \(label)-----\n"
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Standard base64 (RFC 4648 section 4) with padding.
    static func base64Encoded(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let b0 = UInt32(bytes[index])
            let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
            let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(triple >> 18 & 0x3f)])
            out.append(alphabet[Int(triple >> 12 & 0x3f)])
            out.append(remaining > 1 ? alphabet[Int(triple >> 6 & 0x3f)] : UInt8(ascii: "="))
            out.append(remaining > 2 ? alphabet[Int(triple & 0x3f)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
