import EVM
import Testing

/// The journal behind the host: SELFDESTRUCT as EIP-6780, reverts of warm marks and transient
/// storage, and the net changes handed to the caller.
@Suite struct StateJournalTests {
    typealias B = Bytecode

    @Test func selfDestructOfAnOldContractOnlyMovesItsBalance() {
        let heir = Address(0x4e1)
        let machine = TestMachine(code: .push(heir) + .selfdestruct, balance: 500)
        #expect(machine.run().result.status == .success)
        let changes = machine.journal.changes()
        #expect(changes.accounts.first { $0.address == TestMachine.contract }?.account?.code == (B.push(heir) + .selfdestruct).bytes)
        #expect(changes.accounts.first { $0.address == TestMachine.contract }?.account?.balance == .zero)
        #expect(changes.accounts.first { $0.address == heir }?.account?.balance == 500)
    }

    @Test func contractCreatedAndDestroyedInOneTransactionIsDeleted() {
        // Initcode: store 1 in slot 0, then SELFDESTRUCT to 0xbeef; the parent CREATEs it with 7 wei.
        let initCode = B.sstore(0, 1) + .push(0xbeef) + .selfdestruct
        var code = B()
        for (index, byte) in initCode.bytes.enumerated() { code = code + .push1(byte) + .push(index) + .mstore8 }
        code = code + .push(initCode.bytes.count) + .push0 + .push(7) + .create + .push0 + .mstore + .ret(0, 32)
        let machine = TestMachine(code: code, balance: 100)
        let run = machine.run()
        let created = Address.created(by: TestMachine.contract, nonce: 0)
        #expect(run.result.output == created.word.bigEndianBytes)
        let changes = machine.journal.changes()
        #expect(!changes.accounts.contains { $0.address == created })
        #expect(!changes.storage.contains { $0.address == created })
        #expect(changes.accounts.first { $0.address == Address(0xbeef) }?.account?.balance == 7)
    }

    @Test func revertedChildLeavesAccountsCold() {
        // The child touches 0xfeed (BALANCE, cold) and reverts; the parent's BALANCE of 0xfeed is cold again.
        let child = Address(0xc1d)
        let feed = Address(0xfeed)
        let code = B.call(child, outSize: 0) + .pop + .push(feed) + [0x31] + .pop + .stop
        let machine = TestMachine(code: code, others: [child: .push(feed) + [0x31] + .pop + .revert(0, 0)])
        let run = machine.run()
        // Parent: CALL (15 + 2,600 cold child), POP, PUSH2, BALANCE cold (2,600), POP; child: PUSH2, BALANCE cold, POP, PUSH0 ×2, REVERT.
        #expect(run.gasUsed == 15 + 2600 + 2 + 3 + 2600 + 2 + (3 + 2600 + 2 + 2 + 2))
    }

    @Test func transientStorageRevertsWithTheFrameAndStaysOutOfChanges() {
        let child = Address(0xc1d)
        let code = B.push1(1) + .push0 + .tstore + .call(child, outSize: 0) + .pop + .push0 + .tload + .push0 + .mstore + .ret(0, 32)
        // The child DELEGATECALLs nothing; it writes its own transient slot and reverts.
        let machine = TestMachine(code: code, others: [child: .push1(9) + .push0 + .tstore + .revert(0, 0)])
        let run = machine.run()
        #expect(run.result.output == UInt256.one.bigEndianBytes)
        #expect(machine.journal.transientStorage(child, key: .zero) == .zero)
        #expect(machine.journal.changes().storage.isEmpty)
    }
}

/// A read failure of the world state (a database error) is an error of the run, never a zero.
@Suite struct WorldStateFailureTests {
    struct DiskFailure: Error, Equatable {}

    /// Serves one contract, and fails every storage read.
    final class FailingWorldState: WorldState {
        func account(_ address: Address) throws -> Account? {
            address == TestMachine.contract ? Account(code: (Bytecode.push0 + .sload + .push0 + .sstore).bytes) : nil
        }
        func storage(_ address: Address, key: UInt256) throws -> UInt256 { throw DiskFailure() }
        func blockHash(number: UInt64) throws -> UInt256 { .zero }
    }

    @Test func executorThrowsTheFirstReadError() {
        let transaction = EVMTransaction(sender: TestMachine.sender, target: .call(TestMachine.contract), input: [], gasLimit: 100_000)
        #expect(throws: DiskFailure()) {
            try EVMExecutor().execute(transaction, on: FailingWorldState(), context: ExecutionContext(origin: TestMachine.sender))
        }
    }
}
