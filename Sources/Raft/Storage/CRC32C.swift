/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every record Weft's Raft
/// storage writes. Check value: CRC-32C("123456789") = 0xE3069283.
public enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { byte in
        var crc = UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        update(0, with: bytes)
    }

    /// Continues the checksum `crc` of earlier bytes over `bytes`.
    public static func update(_ crc: UInt32, with bytes: some Sequence<UInt8>) -> UInt32 {
        var value = ~crc
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                value = table[Int((value ^ UInt32(byte)) & 0xff)] ^ (value >> 8)
            }
        }
        return ~value
    }
}
