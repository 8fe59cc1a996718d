import EVM
import Testing
import WeftCrypto

/// Bytecode written with the DSL, with exact gas (Cancun schedule).
@Suite struct InterpreterGasTests {
    typealias B = Bytecode

    @Test func arithmeticCostsItsBaseGas() {
        let run = TestMachine(code: .push1(3) + .push1(5) + .add + .push1(2) + .mul + .stop).run()
        #expect(run.result.status == .success)
        #expect(run.gasUsed == 3 + 3 + 3 + 3 + 5)
    }

    @Test func memoryExpansionIsQuadraticAndChargedOnce() {
        // MSTORE at 0: 3 (push) + 2 (push0) + 3 + 3 (one word).
        #expect(TestMachine(code: .push1(1) + .push0 + .mstore).run().gasUsed == 3 + 2 + 3 + 3)
        // MSTORE at 32·1024 touches 1025 words: 3·1025 + 1025²/512 = 5127.
        let far = TestMachine(code: .push1(1) + .push(32 * 1024) + .mstore + .push1(1) + .push(32 * 1024) + .mstore).run()
        #expect(far.gasUsed == (3 + 3 + 3 + 5127) + (3 + 3 + 3))
    }

    @Test func returnsDataAndRevertKeepsGas() {
        let returned = TestMachine(code: .mstore(0, 0xabcd) + .ret(30, 2)).run()
        #expect(returned.result.status == .success && returned.result.output == [0xab, 0xcd])
        let reverted = TestMachine(code: .mstore(0, 0xbeef) + .revert(30, 2)).run(gas: 1000)
        #expect(reverted.result.status == .revert && reverted.result.output == [0xbe, 0xef])
        #expect(reverted.gasUsed == (3 + 2 + 3 + 3) + (3 + 3 + 0))
        #expect(reverted.result.gasLeft == 1000 - reverted.gasUsed)
    }

    @Test func storageFollowsEIP2929And2200() {
        let machine = TestMachine(code: .sstore(0, 1) + .sstore(0, 2) + .sstore(0, 0) + .push0 + .sload + .stop)
        let run = machine.run()
        // cold set 22,100; dirty 100; dirty back to the original 100; warm SLOAD 100.
        #expect(run.gasUsed == (3 + 2 + 22_100) + (3 + 2 + 100) + (2 + 2 + 100) + (2 + 100))
        // Set then cleared back to the original zero: refund 20,000 − 100.
        #expect(run.result.gasRefund == 19_900)
        #expect(machine.journal.changes().storage.isEmpty)
    }

    @Test func coldThenWarmSload() {
        #expect(TestMachine(code: .push0 + .sload + .push0 + .sload).run().gasUsed == 2 + 2100 + 2 + 100)
    }

    @Test func expChargesPerExponentByte() {
        #expect(TestMachine(code: .push(0x1234) + .push1(2) + .exp).run().gasUsed == 3 + 3 + 10 + 50 * 2)
    }

    @Test func keccakOfMemory() {
        let run = TestMachine(code: .push(32) + .push0 + .sha3 + .push0 + .mstore + .ret(0, 32)).run()
        #expect(run.result.output == Keccak256.hash([UInt8](repeating: 0, count: 32)))
        #expect(run.gasUsed == 3 + 2 + (30 + 6 + 3) + 2 + 3 + (3 + 2 + 0))
    }

    @Test func transientStorageAndMcopy() {
        let code = B.push1(7) + .push1(1) + .tstore + .push1(1) + .tload + .push0 + .mstore
            + .push(32) + .push0 + .push(32) + .mcopy + .ret(32, 32)
        let run = TestMachine(code: code).run()
        #expect(run.result.output.last == 7)
        #expect(run.gasUsed == (3 + 3 + 100) + (3 + 100) + (2 + 3 + 3) + (3 + 2 + 3 + 3 + 3 + 3) + (3 + 3))
    }

    @Test func logsCarryTopicsAndData() {
        let machine = TestMachine(code: .mstore(0, 0x42) + .push(0x99) + .push(32) + .push0 + .log1 + .stop)
        let run = machine.run()
        #expect(run.gasUsed == (3 + 2 + 3 + 3) + (3 + 3 + 2 + 375 + 375 + 8 * 32))
        #expect(machine.journal.logs == [Log(address: TestMachine.contract, topics: [0x99], data: UInt256(0x42).bigEndianBytes)])
    }

    @Test func callToIdentityPrecompileCopiesInput() {
        // Store 0x1122 at memory 0, CALL identity with 32 bytes in, 32 out at 32, return 32..64.
        let code = B.mstore(0, 0x1122) + .push(32) + .push(32) + .push(32) + .push0 + .push0 + .push(4) + .gas + .call
            + .pop + .ret(32, 32)
        let run = TestMachine(code: code).run()
        #expect(run.result.status == .success)
        #expect(run.result.output == UInt256(0x1122).bigEndianBytes)
    }

    @Test func sha256PrecompileMatchesOpenSSL() {
        let code = B.mstore(0, 0x616263) + .push(32) + .push0 + .push(3) + .push(29) + .push0 + .push(2) + .gas + .call
            + .pop + .ret(0, 32)
        #expect(TestMachine(code: code).run().result.output == SHA256.hash(Array("abc".utf8)))
    }

    @Test func nestedCallWithColdAccountAndReturnData() {
        let callee = Address(0xca11)
        let code = B.call(callee) + .pop + .returndatasize + .push(32) + .mstore + .ret(0, 64)
        let machine = TestMachine(code: code, others: [callee: .mstore(0, 5) + .ret(0, 32)])
        let run = machine.run()
        #expect(run.result.output == UInt256(5).bigEndianBytes + UInt256(32).bigEndianBytes)
        // The caller pushes 7 arguments (16), pays 2,600 for the cold callee and 3 for the output word,
        // then POP, RETURNDATASIZE, MSTORE at 32 (one more word) and RETURN; the callee stores and returns.
        let callerGas = 16 + 2600 + 3 + 2 + (2 + 3 + 3 + 3) + (3 + 2)
        #expect(run.gasUsed == callerGas + (3 + 2 + 3 + 3 + 3 + 2))
    }

    @Test func create2DeploysAtTheDerivedAddress() throws {
        let runtime = B.push1(0x2a) + .push0 + .mstore + .ret(0, 32)
        let initCode = B.deploying(runtime)
        var code = B()
        for (index, chunk) in initCode.bytes.enumerated() { code = code + .push1(chunk) + .push(index) + .mstore8 }
        code = code + .push(0x5a17) + .push(initCode.bytes.count) + .push0 + .push0 + .create2 + .push0 + .mstore + .ret(0, 32)
        let machine = TestMachine(code: code)
        let run = machine.run()
        #expect(run.result.status == .success)
        let expected = Address.created2(by: TestMachine.contract, salt: 0x5a17, initCodeHash: Keccak256.hash(initCode.bytes))
        #expect(Address(word: UInt256(bigEndian: run.result.output) ?? .zero) == expected)
        #expect(machine.journal.code(of: expected) == runtime.bytes)
        #expect(machine.journal.nonce(of: expected) == 1)
    }

    @Test func createUsesSenderNonce() {
        let code = B.push0 + .push0 + .push0 + .create + .push0 + .mstore + .ret(0, 32)
        let machine = TestMachine(code: code)
        let run = machine.run()
        #expect(Address(word: UInt256(bigEndian: run.result.output) ?? .zero) == Address.created(by: TestMachine.contract, nonce: 0))
        #expect(machine.journal.nonce(of: TestMachine.contract) == 1)
    }
}
