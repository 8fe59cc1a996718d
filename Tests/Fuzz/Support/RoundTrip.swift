import WeftCore

/// The checks every fuzz target shares. A violated property stops the process (`fatalError`), which
/// libFuzzer reports as a crash and saves the input for.
public enum RoundTrip {
    /// The fuzzer's input as bytes.
    public static func bytes(_ start: UnsafeRawPointer?, _ count: Int) -> [UInt8] {
        guard let start, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: start, count: count))
    }

    /// Decodes `bytes` as `T`; when that succeeds, the encoding is canonical: encoding the value gives
    /// back exactly `bytes`, and decoding those gives the same value.
    public static func checkCanonical<T: CanonicalCodable & Equatable>(_ type: T.Type, _ bytes: [UInt8]) {
        guard let value = try? T(canonicalBytes: bytes) else { return }
        let encoded = value.canonicalBytes
        require(encoded == bytes, "\(T.self): decode → encode changed the bytes (\(bytes.count) → \(encoded.count))")
        guard let again = try? T(canonicalBytes: encoded) else {
            fatalError("\(T.self): the re-encoded value does not decode")
        }
        require(again == value, "\(T.self): decode → encode → decode changed the value")
    }

    /// Stops the process with `message` unless `condition` holds.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("fuzz property violated: \(message())") }
    }
}
