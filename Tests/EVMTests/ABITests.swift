import EVM
import Testing
import WeftCore

@Suite struct ABITests {
    @Test func selectorsAreKeccakOfTheCanonicalSignature() throws {
        #expect(Hex.encode(try ABIFunction(signature: "transfer(address,uint256)").selector) == "a9059cbb")
        #expect(Hex.encode(try ABIFunction(signature: "balanceOf(address)").selector) == "70a08231")
        #expect(Hex.encode(try ABIFunction(signature: "Error(string)").selector) == Hex.encode(ABI.errorSelector))
        #expect(try ABIFunction(signature: "f(uint, int)").signature == "f(uint256,int256)")
    }

    @Test func encodesStaticArguments() throws {
        let function = try ABIFunction(signature: "transfer(address,uint256)")
        let data = try function.encodeCall(parsing: ["0x00000000000000000000000000000000000000aa", "1000"])
        #expect(Hex.encode(data) == "a9059cbb" + String(repeating: "0", count: 62) + "aa"
            + String(repeating: "0", count: 61) + "3e8")
        let signed = try ABI.encode([try ABIValue(parsing: "-1", as: .int(bits: 8))], as: [.int(bits: 8)])
        #expect(signed == [UInt8](repeating: 0xff, count: 32))
    }

    @Test func encodesDynamicArgumentsInTheTail() throws {
        // Solidity's documented example: f(uint256,bytes,string) with 0x123, "abc" bytes and "hello".
        let data = try ABI.encode([.uint(0x123), .bytes(Array("abc".utf8)), .string("hello")],
                                  as: [.uint(bits: 256), .bytes, .string])
        #expect(data.count == 32 * 7)
        #expect(UInt256(bigEndian: data[32..<64]) == 0x60)
        #expect(UInt256(bigEndian: data[64..<96]) == 0xa0)
        #expect(UInt256(bigEndian: data[96..<128]) == 3)
        #expect(try ABI.decode(data, as: [.uint(bits: 256), .bytes, .string])
            == [.uint(0x123), .bytes(Array("abc".utf8)), .string("hello")])
    }

    @Test func decodesRevertReasons() throws {
        let output = ABI.errorSelector + (try ABI.encode([.string("insufficient balance")], as: [.string]))
        #expect(ABI.revertReason(output) == "insufficient balance")
        #expect(ABI.revertReason([0xde, 0xad]) == nil)
        #expect(ABI.revertReason(ABI.errorSelector + [1, 2, 3]) == nil)
    }

    @Test func rejectsBadInputWithPreciseErrors() {
        #expect(throws: EVMError.invalidSignature("transfer")) { try ABIFunction(signature: "transfer") }
        #expect(throws: EVMError.unsupportedType("uint7")) { try ABIFunction(signature: "f(uint7)") }
        #expect(throws: EVMError.unsupportedType("uint256[]")) { try ABIFunction(signature: "f(uint256[])") }
        #expect(throws: EVMError.argumentCount(expected: 2, got: 1)) {
            try ABIFunction(signature: "transfer(address,uint256)").encodeCall(parsing: ["0x01"])
        }
        #expect(throws: EVMError.invalidArgument(type: "uint8", value: "256")) { try ABIValue(parsing: "256", as: .uint(bits: 8)) }
        #expect(throws: EVMError.invalidArgument(type: "address", value: "0x12")) { try ABIValue(parsing: "0x12", as: .address) }
        #expect(throws: EVMError.invalidArgument(type: "bool", value: "yes")) { try ABIValue(parsing: "yes", as: .bool) }
        #expect(throws: EVMError.self) { try ABI.decode([0, 1], as: [.uint(bits: 256)]) }
        let hugeOffset = UInt256.max.bigEndianBytes
        #expect(throws: EVMError.self) { try ABI.decode(hugeOffset, as: [.string]) }
    }

    @Test func numbersInDecimalAndHex() {
        #expect(UInt256(number: "115792089237316195423570985008687907853269984665640564039457584007913129639935") == .max)
        #expect(UInt256(number: "115792089237316195423570985008687907853269984665640564039457584007913129639936") == nil)
        #expect(UInt256(number: "0x10") == 16)
        #expect(UInt256(number: "12a") == nil)
        #expect(UInt256(number: "0x") == nil && UInt256(number: "") == nil && UInt256(number: "-1") == nil)
        #expect(UInt256(Int(-1)) == .max && UInt256(Int(-2)) == UInt256(2).negated)
        #expect(UInt256.max.decimalString == "115792089237316195423570985008687907853269984665640564039457584007913129639935")
        #expect(UInt256(10_000_000_000_000_000_000 as UInt64).decimalString == "10000000000000000000")
        #expect(ABIValue.int(UInt256(5).negated).description == "-5")
    }
}
