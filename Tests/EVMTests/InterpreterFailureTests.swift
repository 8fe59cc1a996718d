import EVM
import Raft
import Testing

/// Every exceptional end is a status code with all gas consumed, never a crash.
@Suite struct InterpreterFailureTests {
    typealias B = Bytecode

    @Test func outOfGasInAnEndlessLoop() {
        let run = TestMachine(code: .jumpdest + .push0 + .jump).run(gas: 10_000)
        #expect(run.result.status == .outOfGas && run.result.gasLeft == 0)
    }

    @Test func outOfGasOnHugeMemory() {
        #expect(TestMachine(code: .push1(1) + .push(UInt256.max) + .mstore).run().result.status == .outOfGas)
        #expect(TestMachine(code: .push(1 << 40) + .push0 + .sha3).run().result.status == .outOfGas)
        #expect(TestMachine(code: .push(32) + .push(1 << 30) + .ret).run(gas: 30_000_000).result.status == .outOfGas)
    }

    @Test func stackUnderflow() {
        #expect(TestMachine(code: .add).run().result.status == .stackUnderflow)
        #expect(TestMachine(code: .push0 + [0x81]).run().result.status == .stackUnderflow) // DUP2 of one item
    }

    @Test func stackOverflowAt1025Items() {
        #expect(TestMachine(code: B.push0 * 1024 + .stop).run().result.status == .success)
        #expect(TestMachine(code: B.push0 * 1025).run().result.status == .stackOverflow)
    }

    @Test func badJumpDestinations() {
        #expect(TestMachine(code: .push1(3) + .jump + .stop).run().result.status == .badJumpDestination)
        // 0x5b inside PUSH data is no JUMPDEST.
        #expect(TestMachine(code: .push1(3) + .jump + [0x60, 0x5b]).run().result.status == .badJumpDestination)
        #expect(TestMachine(code: .push1(1) + .push(UInt256.max) + .jumpi).run().result.status == .badJumpDestination)
        #expect(TestMachine(code: .push1(3) + .jump + .jumpdest + .stop).run().result.status == .success)
    }

    @Test func invalidAndUndefinedOpcodes() {
        #expect(TestMachine(code: .invalid).run().result.status == .invalidOpcode)
        for undefined: UInt8 in [0x0c, 0x21, 0x4b, 0xa5, 0xef, 0xf6, 0xfb] {
            let run = TestMachine(code: [undefined]).run()
            #expect(run.result.status == .invalidOpcode && run.result.gasLeft == 0)
        }
    }

    @Test func writesInStaticContextFail() {
        for code: Bytecode in [.sstore(0, 1), .push0 + .push0 + .tstore, .push0 + .push0 + .log0,
                               .push0 + .push0 + .push0 + .create, .push(5) + .selfdestruct] {
            #expect(TestMachine(code: code).run(isStatic: true).result.status == .staticStateChange)
        }
        // A STATICCALL into a writer returns 0 and the write is undone.
        let writer = Address(0x77)
        let machine = TestMachine(code: .staticcall(writer) + .push0 + .mstore + .ret(0, 32), others: [writer: .sstore(0, 1)])
        #expect(machine.run().result.output == UInt256.zero.bigEndianBytes)
        #expect(machine.journal.storage(writer, key: .zero) == .zero)
    }

    @Test func returnDataCopyPastTheEnd() {
        #expect(TestMachine(code: .push1(1) + .push0 + .push0 + .returndatacopy).run().result.status == .invalidMemoryAccess)
    }

    @Test func failedChildRevertsOnlyItsOwnWrites() {
        let child = Address(0x99)
        let code = B.sstore(1, 7) + .call(child) + .push0 + .mstore + .ret(0, 32)
        let machine = TestMachine(code: code, others: [child: .sstore(0, 1) + .invalid])
        let run = machine.run()
        #expect(run.result.status == .success && run.result.output == UInt256.zero.bigEndianBytes)
        #expect(machine.journal.storage(child, key: .zero) == .zero)
        #expect(machine.journal.storage(TestMachine.contract, key: .one) == 7)
    }

    @Test func revertedDelegateCallRestoresSlotsWrittenManyTimes() {
        // The library writes the caller's slot 0 three times, then reverts: slot 0 keeps the 1
        // written before the call; a second, successful library call leaves its last write.
        let reverting = Address(0x1b1), succeeding = Address(0x1b2)
        let library = B.sstore(0, 5) + .sstore(0, 6) + .sstore(0, 0)
        func delegate(_ to: Address) -> Bytecode { .push0 + .push0 + .push0 + .push0 + .push(to) + .gas + .delegatecall + .pop }
        let code = B.sstore(0, 1) + delegate(reverting) + .push0 + .sload + .push(32) + .mstore
            + delegate(succeeding) + .push0 + .sload + .push(64) + .mstore + .ret(32, 64)
        let machine = TestMachine(code: code, others: [reverting: library + .revert(0, 0), succeeding: library + .sstore(0, 9)])
        let run = machine.run()
        #expect(run.result.output == UInt256(1).bigEndianBytes + UInt256(9).bigEndianBytes)
        #expect(machine.journal.changes().storage.map(\.value) == [9])
    }

    @Test func recursionStopsAtDepth1024WithoutCrashing() {
        // Each frame bumps a counter in transient storage of the contract and calls itself.
        let code = B.push0 + .tload + .push1(1) + .add + .push0 + .tstore + .call(TestMachine.contract, outSize: 0) + .stop
        let machine = TestMachine(code: code)
        let run = machine.run(gas: Int(Int64.max) / 2)
        #expect(run.result.status == .success)
        // The outer frame plus 1,024 nested ones ran; the 1,025th nested call was refused.
        #expect(machine.journal.transientStorage(TestMachine.contract, key: .zero) == 1025)
    }

    @Test func valueBeyondBalanceIsRefusedNotFatal() {
        let code = B.call(Address(0x55), value: 10) + .push0 + .mstore + .ret(0, 32)
        let run = TestMachine(code: code, balance: 5).run()
        #expect(run.result.status == .success && run.result.output == UInt256.zero.bigEndianBytes)
    }

    @Test func randomBytecodeNeverCrashes() {
        var rng = SplitMix64(seed: 2024)
        for _ in 0..<3000 {
            let length = Int(rng.next() % 64)
            let code = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let run = TestMachine(code: Bytecode(code)).run(gas: 100_000)
            #expect(run.result.gasLeft >= 0 && run.result.gasLeft <= 100_000)
        }
    }
}
