import COpenSSL

/// Moves bytes between Swift arrays and OpenSSL's DER (`i2d_*` / `d2i_*`) and memory-BIO interfaces.
enum OpenSSLBytes {
    /// Runs an `i2d_*`-style encoder twice — once for the length, once into a buffer of that length —
    /// and returns the encoding.
    static func encodeDER(
        _ operation: String,
        _ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32
    ) throws(CryptoError) -> [UInt8] {
        let length = encode(nil)
        guard length > 0 else { throw .fromQueue(operation) }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return encode(&cursor)
        }
        guard written == length else { throw .fromQueue(operation) }
        return out
    }

    /// Runs a `d2i_*`-style decoder over `bytes` and requires it to consume every byte.
    ///
    /// - Parameter what: names the expected structure in error messages, e.g. "SPKI public key".
    static func decodeDER(
        _ bytes: some ContiguousBytes,
        what: String,
        _ decode: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> OpaquePointer?
    ) throws(CryptoError) -> OpaquePointer {
        let result: Result<OpaquePointer, CryptoError> = bytes.withUnsafeBytes { raw in
            guard raw.count > 0, let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
                return .failure(.malformed("\(what): empty input"))
            }
            var cursor: UnsafePointer<UInt8>? = UnsafePointer(base)
            guard let object = decode(&cursor, raw.count) else {
                return .failure(.malformed("\(what): \(OpenSSLErrorQueue.drain())"))
            }
            let consumed = cursor.map { $0 - UnsafePointer(base) } ?? 0
            guard consumed == raw.count else {
                return .failure(.malformed("\(what): \(raw.count - consumed) trailing bytes after the DER structure"))
            }
            return .success(object)
        }
        switch result {
        case .success(let object): return object
        case .failure(let error): throw error
        }
    }

    /// Creates a writable memory BIO, lets `write` fill it, and returns what was written.
    static func collect(
        _ operation: String,
        _ write: (OpaquePointer) -> Int32
    ) throws(CryptoError) -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .fromQueue("BIO_new") }
        defer { BIO_free(bio) }
        guard write(bio) > 0 else { throw .fromQueue(operation) }
        var data: UnsafeMutablePointer<CChar>?
        let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data)
        guard length >= 0, let data else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// Lends `bytes` to OpenSSL as a read-only memory BIO for the duration of `body`.
    static func withReadBIO<R>(
        _ bytes: [UInt8],
        _ body: (OpaquePointer) throws(CryptoError) -> R
    ) throws(CryptoError) -> R {
        let result: Result<R, CryptoError> = bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else {
                return .failure(.fromQueue("BIO_new_mem_buf"))
            }
            defer { BIO_free(bio) }
            do throws(CryptoError) { return .success(try body(bio)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The big-endian magnitude of `number`, left-padded with zeros to `width` bytes.
    static func paddedBytes(of number: OpaquePointer, width: Int32) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: Int(width))
        guard BN_bn2binpad(number, &out, width) == width else { return nil }
        return out
    }
}
