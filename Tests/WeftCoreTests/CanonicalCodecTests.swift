import Testing
import WeftCore

@Suite struct CanonicalCodecTests {
    @Test func integersAreBigEndian() {
        var writer = ByteWriter()
        writer.write(UInt32(0x0102_0304))
        writer.write(UInt16(0x0506))
        writer.write(Int64(-1))
        #expect(writer.bytes == [1, 2, 3, 4, 5, 6] + [UInt8](repeating: 0xff, count: 8))
    }

    @Test func stringRoundTrip() throws {
        let value = "héllo ✓"
        let decoded = try String(canonicalBytes: value.canonicalBytes)
        #expect(decoded == value)
        #expect(value.canonicalBytes.prefix(4) == [0, 0, 0, UInt8(value.utf8.count)])
    }

    @Test func trailingBytesAreRejected() {
        #expect(throws: DecodingError.trailingBytes(offset: 8, count: 1)) {
            try UInt64(canonicalBytes: [0, 0, 0, 0, 0, 0, 0, 1, 9])
        }
    }

    @Test func hugeLengthIsRejectedBeforeAllocation() {
        #expect(throws: DecodingError.lengthExceedsInput(offset: 0, length: 0xffff_ffff, remaining: 2)) {
            try Bytes(canonicalBytes: [0xff, 0xff, 0xff, 0xff, 1, 2])
        }
    }

    @Test func invalidBooleanAndOptionalTags() {
        #expect(throws: DecodingError.self) { try Bool(canonicalBytes: [2]) }
        var reader = ByteReader([7])
        #expect(throws: DecodingError.self) { try reader.readOptional(UInt8.self) }
    }

    @Test func hexRoundTrip() {
        #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
        #expect(Hex.decode("0x00ABff") == [0x00, 0xab, 0xff])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }
}
