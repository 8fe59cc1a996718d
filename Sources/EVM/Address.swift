import WeftCore
import WeftCrypto

/// A 20-byte account address, kept as a word whose top 96 bits are zero (cheap to hash and compare,
/// and what the stack holds).
@frozen
public struct Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address as a word (the low 160 bits).
    public let word: UInt256

    /// The address in the low 160 bits of `word`; higher bits are dropped, as the EVM does.
    @inlinable @inline(__always)
    public init(word: UInt256) {
        self.word = UInt256(word.l0, word.l1, word.l2 & 0xffff_ffff, 0)
    }

    /// The address of exactly 20 big-endian bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 20, let word = UInt256(bigEndian: bytes) else { return nil }
        self.word = word
    }

    /// Parses 40 hex digits with an optional 0x; nil otherwise.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    /// The address of a precompile or a small test account, e.g. `Address(4)`.
    public init(_ value: UInt64) { self.word = UInt256(value) }

    /// The 20 big-endian bytes.
    public var bytes: [UInt8] { Array(word.bigEndianBytes[12...]) }

    /// `0x` and 40 lower-case hex digits.
    public var description: String { "0x" + Hex.encode(bytes) }

    public static func < (a: Address, b: Address) -> Bool { a.word < b.word }

    /// The address Ethereum derives for a public key: the last 20 bytes of Keccak-256 of the
    /// uncompressed point without its 0x04 prefix (64 bytes, X ‖ Y). Weft uses it for the P-256 key
    /// of a transaction's submitter (see docs/evm.md).
    public init?(publicKeyPoint xy: [UInt8]) {
        var point = xy
        if point.count == 65, point.first == 0x04 { point.removeFirst() }
        guard point.count == 64 else { return nil }
        self.init(bytes: Keccak256.hash(point)[12...])
    }

    /// The address of a contract made by CREATE: the last 20 bytes of Keccak-256 of RLP([sender, nonce]).
    public static func created(by sender: Address, nonce: UInt64) -> Address {
        var nonceBytes: [UInt8] = []
        var n = nonce
        while n > 0 { nonceBytes.insert(UInt8(n & 0xff), at: 0); n >>= 8 }
        var list: [UInt8] = [0x94] + sender.bytes
        if nonce == 0 {
            list.append(0x80)
        } else if nonce < 0x80 {
            list.append(UInt8(nonce))
        } else {
            list.append(0x80 + UInt8(nonceBytes.count))
            list += nonceBytes
        }
        let encoded = [0xc0 + UInt8(list.count)] + list
        return Address(bytes: Keccak256.hash(encoded)[12...]) ?? Address(0)
    }

    /// The address of a contract made by CREATE2: the last 20 bytes of
    /// Keccak-256(0xff ‖ sender ‖ salt ‖ Keccak-256(initcode)).
    public static func created2(by sender: Address, salt: UInt256, initCodeHash: [UInt8]) -> Address {
        let preimage: [UInt8] = [0xff] + sender.bytes + salt.bigEndianBytes + initCodeHash
        return Address(bytes: Keccak256.hash(preimage)[12...]) ?? Address(0)
    }
}
