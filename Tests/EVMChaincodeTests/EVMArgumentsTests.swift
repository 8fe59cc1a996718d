import EVM
import Execution
import Testing
import WeftCore

/// The library side of `weft evm deploy|call|query`: arguments from signatures and text, results as text.
@Suite struct EVMArgumentsTests {
    @Test func callArgumentsEncodeTheSignatureAndValues() throws {
        let arguments = try EVMChaincode.callArguments(
            contract: "0x00000000000000000000000000000000000C0FFE", signature: "transfer(address, uint)",
            arguments: ["0x000000000000000000000000000000000000b0b0", "1000"])
        #expect(arguments == [
            Address(0xc0ffe).description,
            "0xa9059cbb" + String(repeating: "0", count: 60) + "b0b0" + String(repeating: "0", count: 61) + "3e8",
        ])
    }

    @Test func deployArgumentsAppendTheConstructorArguments() throws {
        let plain = try EVMChaincode.deployArguments(initCode: [0x60, 0x00])
        #expect(plain == ["0x6000"])
        let withArguments = try EVMChaincode.deployArguments(initCode: [0xaa], constructorTypes: "(uint8,bool)", arguments: ["7", "true"])
        #expect(withArguments == ["0xaa" + String(repeating: "0", count: 63) + "7" + String(repeating: "0", count: 63) + "1"])
    }

    @Test func resultsDecodeToText() throws {
        let encoded = try ABI.encode([.uint(UInt256(42)), .string("hi"), .bool(true), .address(Address(0xabc)), .int(UInt256(5).negated)],
                                     as: [.uint(bits: 256), .string, .bool, .address, .int(bits: 256)])
        #expect(try EVMChaincode.decodeResult(encoded, returnTypes: "(uint256,string,bool,address,int)")
            == ["42", "hi", "true", "0x0000000000000000000000000000000000000abc", "-5"])
        #expect(try EVMChaincode.decodeResult([], returnTypes: "()") == [])
        #expect(try EVMChaincode.decodeResult([], returnTypes: "") == [])
        #expect(try ABI.types(parsing: "uint, bytes32") == [.uint(bits: 256), .fixedBytes(32)])
    }

    @Test func badInputGetsPreciseErrors() throws {
        #expect(throws: EVMError.invalidArgument(type: "address", value: "0x12")) {
            try EVMChaincode.callArguments(contract: "0x12", signature: "f()", arguments: [])
        }
        #expect(throws: EVMError.invalidSignature("transfer")) {
            try EVMChaincode.callArguments(contract: Address(1).description, signature: "transfer", arguments: [])
        }
        #expect(throws: EVMError.argumentCount(expected: 2, got: 1)) {
            try EVMChaincode.callArguments(contract: Address(1).description, signature: "transfer(address,uint256)", arguments: ["0x01"])
        }
        #expect(throws: EVMError.invalidArgument(type: "uint8", value: "256")) {
            try EVMChaincode.deployArguments(initCode: [1], constructorTypes: "(uint8)", arguments: ["256"])
        }
        #expect(throws: EVMError.unsupportedType("uint256[]")) { try ABI.types(parsing: "(uint256[])") }
        #expect(throws: EVMError.unsupportedType("(uint256")) { try ABI.types(parsing: "(uint256") }
        #expect(throws: EVMError.self) { try EVMChaincode.decodeResult([1, 2, 3], returnTypes: "(uint256)") }
        #expect(throws: EVMError.self) { try EVMChaincode.deployedAddress(Array("not an address".utf8)) }
        #expect(throws: EVMError.self) { try EVMReceipt(event: ChaincodeEvent(chaincode: "evm", name: "receipt", payload: [0, 0, 0, 1])) }
        #expect(throws: EVMError.self) { try EVMReceipt(event: ChaincodeEvent(chaincode: "evm", name: "logs", payload: [0, 0, 0, 1])) }
        #expect(throws: EVMError.self) { try EVMReceipt(event: ChaincodeEvent(chaincode: "evm", name: "Transfer", payload: [])) }
        #expect(throws: (any Error).self) { try EVMChaincode.address(ofCertificate: [0x30, 0x01]) }
    }

    @Test func logListsRoundTripCanonically() throws {
        let logs = [Log(address: Address(0xc0ffee), topics: [UInt256(1), UInt256.max], data: [1, 2, 3]),
                    Log(address: Address(2), topics: [], data: [])]
        let bytes = Log.encodeList(logs)
        #expect(bytes.count == 4 + (20 + 4 + 64 + 4 + 3) + (20 + 4 + 4))
        #expect(Array(bytes[0..<4]) == [0, 0, 0, 2])
        #expect(try Log.decodeList(bytes) == logs)
        var fiveTopics = ByteWriter()
        fiveTopics.write(UInt32(1))
        fiveTopics.write(raw: [UInt8](repeating: 0, count: 20))
        fiveTopics.write(UInt32(5))
        #expect(throws: DecodingError.self) { try Log.decodeList(fiveTopics.bytes) }
        #expect(throws: DecodingError.self) { try Log.decodeList(bytes + [0]) }
    }

    @Test func receiptsRoundTripAndEarlierLogEventsStillRead() throws {
        let logs = [Log(address: Address(0xc0ffee), topics: [UInt256(1)], data: [1, 2, 3])]
        let receipt = EVMReceipt(gasUsed: 51_234, logs: logs)
        // layout 1, gasUsed 51,234 (0xc822), then the log list.
        #expect(receipt.canonicalBytes == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc8, 0x22] + Log.encodeList(logs))
        #expect(try EVMReceipt(event: ChaincodeEvent(chaincode: "evm", name: "receipt", payload: receipt.canonicalBytes)) == receipt)
        let earlier = try EVMReceipt(event: ChaincodeEvent(chaincode: "evm", name: "logs", payload: Log.encodeList(logs)))
        #expect(earlier.gasUsed == nil && earlier.logs == logs)
    }
}
