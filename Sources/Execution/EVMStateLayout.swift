import EVM
import WeftCore

/// Where the `evm` chaincode keeps accounts and contract storage in world state (docs/evm.md,
/// "Storage layout"). Each account has its own sub-namespace `evm:<address>` (40 lower-case hex digits,
/// no 0x), holding:
///
/// - key `account`: the account record, canonical `nonce: u64`, `codeHash: raw[32]` (Keccak-256 of the
///   code), `code: bytes` — present once the account has a nonce or code (a contract, or a submitter that
///   deployed one); absent otherwise. Balances are not stored: they are always zero.
/// - key `<64 lower-case hex digits>`: storage slot with that 32-byte key; the value is the 32-byte
///   big-endian word. A zero slot has no key (writing zero deletes it).
///
/// No slot key can equal `account`, so the two kinds of key never collide.
public enum EVMStateLayout {
    /// The key of the account record in an account's sub-namespace.
    public static let accountKey = "account"

    /// The sub-namespace of `address` under the `evm` chaincode: 40 lower-case hex digits.
    public static func subNamespace(of address: Address) -> String { hex(address.word, digits: 40) }

    /// The full namespace of `address`: `evm:<40 hex>`.
    public static func namespace(of address: Address) -> String {
        EVMChaincode.name + ":" + subNamespace(of: address)
    }

    /// The world-state key of storage slot `key`: 64 lower-case hex digits.
    public static func slotKey(_ key: UInt256) -> String { hex(key, digits: 64) }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The low `digits` hex digits of `word`, most significant first, straight from the limbs (keys
    /// are built several times per transaction, so this skips the generic byte-array path).
    private static func hex(_ word: UInt256, digits: Int) -> String {
        String(unsafeUninitializedCapacity: digits) { buffer in
            for index in 0..<digits {
                let nibble = digits - 1 - index // nibble position from the least significant end
                let limb = switch nibble >> 4 {
                case 0: word.l0
                case 1: word.l1
                case 2: word.l2
                default: word.l3
                }
                buffer[index] = hexDigits[Int(truncatingIfNeeded: (limb >> UInt64((nibble & 15) * 4)) & 0xf)]
            }
            return digits
        }
    }

    /// The canonical account record (the balance, always zero on a ledger, is not stored).
    public static func encode(_ account: Account) -> [UInt8] {
        var writer = ByteWriter(capacity: 48 + account.code.count)
        writer.write(account.nonce)
        writer.write(raw: account.codeHash.bigEndianBytes)
        writer.write(lengthPrefixed: account.code)
        return writer.bytes
    }

    /// Reads an account record written by `encode`.
    public static func decodeAccount(_ bytes: [UInt8]) throws(DecodingError) -> Account {
        var reader = ByteReader(bytes)
        let nonce = try reader.readUInt64()
        let codeHash = UInt256(bigEndian: try reader.readRaw(count: 32)) ?? .zero
        let code = try reader.readLengthPrefixed()
        try reader.expectEnd()
        return Account(nonce: nonce, code: code, codeHash: codeHash)
    }

    /// The stored bytes of a nonzero slot value.
    public static func encode(slot value: UInt256) -> [UInt8] { value.bigEndianBytes }

    /// Reads a slot value; nil unless exactly 32 bytes.
    public static func decodeSlot(_ bytes: [UInt8]) -> UInt256? {
        bytes.count == 32 ? UInt256(bigEndian: bytes) : nil
    }
}
