@testable import Raft
import Testing

/// The slicing-by-8 CRC-32C against a byte-at-a-time reference, on every length around the 8-byte steps,
/// on slices at odd offsets and on sequences without contiguous storage.
@Suite struct CRC32CTests {
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test func matchesTheReferenceOnEveryShape() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        var generator = SplitMix64(seed: 42)
        let data = (0..<1_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 999] {
            let bytes = Array(data.prefix(length))
            #expect(CRC32C.checksum(bytes) == Self.reference(bytes))
            #expect(CRC32C.checksum(data[3..<(3 + min(length, 990))]) == Self.reference(Array(data[3..<(3 + min(length, 990))])))
            #expect(CRC32C.checksum(bytes.lazy.map { $0 }) == Self.reference(bytes))
        }
        let split = CRC32C.update(CRC32C.checksum(data[..<333]), with: data[333...])
        #expect(split == CRC32C.checksum(data))
    }
}

extension CRC32CTests {
    @Test func theHardwarePathAgreesWithTheTables() {
        #if arch(x86_64)
        #expect(CRC32C.usesHardware, "every x86-64 CPU since 2008 has SSE 4.2")
        #endif
        var generator = SplitMix64(seed: 7)
        let data = (0..<4_099).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for length in [0, 1, 5, 8, 13, 64, 1_000, 4_099] {
            let bytes = Array(data.prefix(length))
            let tables = bytes.withUnsafeBytes { CRC32C.updateWithTables(0, buffer: $0) }
            #expect(tables == Self.reference(bytes))
            #expect(CRC32C.checksum(bytes) == Self.reference(bytes), "hardware: \(CRC32C.usesHardware)")
        }
    }
}
