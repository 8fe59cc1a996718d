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

/// ecrecover (0x01): signatures made by an independent secp256k1 implementation.
@Suite struct ECRecoverTests {
    typealias B = Bytecode

    /// Calls 0x01 with hash ‖ v ‖ r ‖ s and returns what it returned.
    func recover(hash: String, v: UInt256, r: String, s: String) -> (output: [UInt8], gasUsed: Int) {
        let words = [UInt256(hex: hash)!, v, UInt256(hex: r)!, UInt256(hex: s)!]
        var code = B()
        for (index, word) in words.enumerated() { code = code + .mstore(32 * index, word) }
        code = code + .push(32) + .push(128) + .push(128) + .push0 + .push0 + .push(1) + .gas + .call
            + .pop + .returndatasize + .push0 + .push0 + .returndatacopy + .returndatasize + .push0 + .ret
        let run = TestMachine(code: code).run()
        return (run.result.output, run.gasUsed)
    }

    @Test func recoversTheSignersAddress() {
        // Private key 1 signs keccak256("weft ecrecover test"); its address is the well-known 0x7e5f…5bdf.
        let first = recover(hash: "066adfe6a90c47f0b8235f11a1ed28669abc45bb87a1fb0a5f3cbd4f32bfb60f", v: 28,
                            r: "d47644539acec3da5e3ecf5fe8863c628a9c97e8b71e9ea9167a6f4f83c03c32",
                            s: "3a05e6ac0ce9301c76b25ff56e04893606fd6342e9890b25e3b033b46d178f10")
        #expect(first.output == Address(hex: "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf")!.word.bigEndianBytes)
        let second = recover(hash: "45318970bfff215a328f56895f3a97d4f276a44c24c135c12c37867a1f667b8a", v: 28,
                             r: "76d2fdf1302d1fa9556f4df94ec84cefba6d482e54f47c6c2a238c1baa560f0e",
                             s: "782aaebb50c5ac0c64191b8b4dd47c16a0bd2d228714886b9fb26aa186ac0e68")
        #expect(second.output == Address(hex: "0xd154fd172a5f3c6e17d2453900f40fcd5bcd709b")!.word.bigEndianBytes)
    }

    @Test func invalidSignaturesReturnNothing() {
        let hash = "066adfe6a90c47f0b8235f11a1ed28669abc45bb87a1fb0a5f3cbd4f32bfb60f"
        let r = "d47644539acec3da5e3ecf5fe8863c628a9c97e8b71e9ea9167a6f4f83c03c32"
        let s = "3a05e6ac0ce9301c76b25ff56e04893606fd6342e9890b25e3b033b46d178f10"
        #expect(recover(hash: hash, v: 29, r: r, s: s).output.isEmpty)
        #expect(recover(hash: hash, v: 28, r: "0", s: s).output.isEmpty)
        #expect(recover(hash: hash, v: 27, r: r, s: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141").output.isEmpty)
        // The other parity recovers a different key, not an error.
        let other = recover(hash: hash, v: 27, r: r, s: s).output
        #expect(other.count == 32 && other != Address(hex: "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf")!.word.bigEndianBytes)
    }
}
