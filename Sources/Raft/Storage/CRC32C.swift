import CCRC32C

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every record Weft's Raft
/// storage and the orderer's block store write. Check value: CRC-32C("123456789") = 0xE3069283.
///
/// It runs over every block several times (Raft log and block store, on every orderer), so contiguous
/// bytes use the CPU's CRC-32C instruction when there is one (x86-64 SSE 4.2, ARMv8 CRC), and
/// otherwise eight bytes per step with eight 256-entry tables ("slicing-by-8").
public enum CRC32C {
    /// Whether the CPU's CRC-32C instruction is used.
    public static let usesHardware = weft_crc32c_hardware_available() != 0

    /// `tables[k][b]`: the CRC of byte `b` followed by `k` zero bytes.
    private static let tables: [[UInt32]] = {
        var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            tables[0][byte] = crc
        }
        for byte in 0..<256 {
            for k in 1..<8 {
                let previous = tables[k - 1][byte]
                tables[k][byte] = tables[0][Int(previous & 0xff)] ^ (previous >> 8)
            }
        }
        return tables
    }()

    /// The flattened tables (`k * 256 + b`), for the inner loop.
    private static let flat: [UInt32] = tables.flatMap { $0 }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        update(0, with: bytes)
    }

    /// Continues the checksum `crc` of earlier bytes over `bytes`.
    public static func update(_ crc: UInt32, with bytes: some Sequence<UInt8>) -> UInt32 {
        if let fast = bytes.withContiguousStorageIfAvailable({ update(crc, buffer: UnsafeRawBufferPointer($0)) }) {
            return fast
        }
        return update(crc, buffer: Array(bytes))
    }

    private static func update(_ crc: UInt32, buffer bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { update(crc, buffer: $0) }
    }

    private static func update(_ crc: UInt32, buffer: UnsafeRawBufferPointer) -> UInt32 {
        if usesHardware, let base = buffer.baseAddress {
            return ~weft_crc32c_hardware(~crc, base.assumingMemoryBound(to: UInt8.self), buffer.count)
        }
        return updateWithTables(crc, buffer: buffer)
    }

    /// The table-driven checksum (also the reference the hardware path is tested against).
    static func updateWithTables(_ crc: UInt32, buffer: UnsafeRawBufferPointer) -> UInt32 {
        var value = ~crc
        flat.withUnsafeBufferPointer { table in
            var index = 0
            let count = buffer.count
            while count - index >= 8 {
                let low = value ^ (UInt32(buffer[index]) | UInt32(buffer[index + 1]) << 8
                    | UInt32(buffer[index + 2]) << 16 | UInt32(buffer[index + 3]) << 24)
                let high = UInt32(buffer[index + 4]) | UInt32(buffer[index + 5]) << 8
                    | UInt32(buffer[index + 6]) << 16 | UInt32(buffer[index + 7]) << 24
                value = table[7 * 256 + Int(low & 0xff)] ^ table[6 * 256 + Int((low >> 8) & 0xff)]
                    ^ table[5 * 256 + Int((low >> 16) & 0xff)] ^ table[4 * 256 + Int(low >> 24)]
                    ^ table[3 * 256 + Int(high & 0xff)] ^ table[2 * 256 + Int((high >> 8) & 0xff)]
                    ^ table[1 * 256 + Int((high >> 16) & 0xff)] ^ table[Int(high >> 24)]
                index += 8
            }
            while index < count {
                value = table[Int((value ^ UInt32(buffer[index])) & 0xff)] ^ (value >> 8)
                index += 1
            }
        }
        return ~value
    }
}
