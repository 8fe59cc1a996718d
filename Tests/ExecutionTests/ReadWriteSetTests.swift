import Execution
import Testing
import WeftCore

@Suite struct ReadWriteSetTests {
    static let v1 = Version(blockNumber: 1, txNumber: 0)

    static func seeded() -> InMemoryState {
        var state = InMemoryState()
        state.apply([KVWrite(namespace: "cc", key: "a", value: [1]),
                     KVWrite(namespace: "cc", key: "b", value: [2]),
                     KVWrite(namespace: "cc", key: "c", value: [3]),
                     KVWrite(namespace: "other", key: "a", value: [9])], version: v1)
        return state
    }

    @Test func readOfAbsentKeyRecordsNoVersion() throws {
        let result = try Fixtures.run(Self.seeded()) { (stub: ChaincodeStub) throws -> [UInt8] in
            #expect(try stub.getState("missing") == nil)
            return []
        }
        #expect(result.payload.readWriteSet == ReadWriteSet(reads: [KVRead(namespace: "cc", key: "missing", version: nil)]))
    }

    @Test func readThenWriteRecordsBothAndReadsOwnWrite() throws {
        let result = try Fixtures.run(Self.seeded()) { (stub: ChaincodeStub) throws -> [UInt8] in
            #expect(try stub.getState("a") == [1])
            try stub.putState("a", [7])
            #expect(try stub.getState("a") == [7], "a transaction reads its own writes")
            try stub.putState("z", [8])
            #expect(try stub.getState("z") == [8])
            return []
        }
        #expect(result.payload.readWriteSet == ReadWriteSet(
            reads: [KVRead(namespace: "cc", key: "a", version: Self.v1)],
            writes: [KVWrite(namespace: "cc", key: "a", value: [7]), KVWrite(namespace: "cc", key: "z", value: [8])]))
    }

    @Test func deleteIsAWriteWithoutValueAndHidesTheKey() throws {
        let result = try Fixtures.run(Self.seeded()) { (stub: ChaincodeStub) throws -> [UInt8] in
            try stub.deleteState("b")
            #expect(try stub.getState("b") == nil)
            return []
        }
        #expect(result.payload.readWriteSet == ReadWriteSet(writes: [KVWrite(namespace: "cc", key: "b", value: nil)]))
    }

    @Test func rangeReadsArePagedAndRecordedPerPage() throws {
        let result = try Fixtures.run(Self.seeded()) { (stub: ChaincodeStub) throws -> [UInt8] in
            let first = try stub.getStateByRange("a", "", pageSize: 2)
            #expect(first.entries.map(\.key) == ["a", "b"] && first.bookmark == "c")
            let second = try stub.getStateByRange("a", "", pageSize: 2, bookmark: first.bookmark)
            #expect(second.entries.map(\.key) == ["c"] && second.bookmark.isEmpty)
            return []
        }
        let read = { (key: String) in KVRead(namespace: "cc", key: key, version: Self.v1) }
        #expect(result.payload.readWriteSet.rangeReads == [
            RangeRead(namespace: "cc", startKey: "a", endKey: "c", results: [read("a"), read("b")]),
            RangeRead(namespace: "cc", startKey: "c", endKey: "", results: [read("c")]),
        ])
        #expect(result.payload.readWriteSet.reads.isEmpty)
    }

    @Test func compositeKeysScanByPrefix() throws {
        var state = InMemoryState()
        let write = { (parts: [String]) in
            KVWrite(namespace: "cc", key: "\u{0}" + parts.joined(separator: "\u{0}") + "\u{0}", value: [1])
        }
        state.apply([write(["color", "blue", "asset1"]), write(["color", "blue", "asset2"]),
                     write(["color", "red", "asset3"]), KVWrite(namespace: "cc", key: "plain", value: [0])],
                    version: Self.v1)
        let result = try Fixtures.run(state) { (stub: ChaincodeStub) throws -> [UInt8] in
            let key = try stub.createCompositeKey("color", ["blue", "asset1"])
            #expect(try stub.splitCompositeKey(key) == ("color", ["blue", "asset1"]))
            let blue = try stub.getStateByPartialCompositeKey("color", ["blue"])
            #expect(try blue.entries.map { try stub.splitCompositeKey($0.key).attributes[1] } == ["asset1", "asset2"])
            #expect(throws: ChaincodeError.self) { try stub.createCompositeKey("color", ["bad\u{0}part"]) }
            return []
        }
        let range = try #require(result.payload.readWriteSet.rangeReads.first)
        #expect(range.startKey == "\u{0}color\u{0}blue\u{0}" && range.endKey == "\u{0}color\u{0}blue\u{0}\u{10FFFF}")
        #expect(range.results.count == 2)
    }

    @Test func richQueryRecordsEachResultAsARead() throws {
        var state = InMemoryState()
        state.apply([KVWrite(namespace: "cc", key: "x", value: Array(#"{"owner":"alice"}"#.utf8)),
                     KVWrite(namespace: "cc", key: "y", value: Array(#"{"owner":"bob"}"#.utf8))], version: Self.v1)
        let result = try Fixtures.run(state) { (stub: ChaincodeStub) throws -> [UInt8] in
            #expect(try stub.getQueryResult(#"{"owner":"alice"}"#).map(\.key) == ["x"])
            return []
        }
        #expect(result.payload.readWriteSet.reads == [KVRead(namespace: "cc", key: "x", version: Self.v1)])
    }

    @Test func sameInvocationOnSameSnapshotIsByteIdentical() throws {
        let body: @Sendable (ChaincodeStub) throws -> [UInt8] = { (stub: ChaincodeStub) throws -> [UInt8] in
            for key in ["c", "a", "q", "b"] { _ = try stub.getState(key) }
            _ = try stub.getStateByRange("a", "c")
            for key in ["y", "x", "y"] { try stub.putState(key, Array(key.utf8)) }
            try stub.setEvent("done", [1])
            return [42]
        }
        let first = try Fixtures.run(Self.seeded(), body)
        let second = try Fixtures.run(Self.seeded(), body)
        #expect(first.payload.canonicalBytes == second.payload.canonicalBytes)
        #expect(first.payload.readWriteSet.reads.map(\.key) == ["a", "b", "c", "q"])
        #expect(first.payload.event?.name == "done")
    }

    @Test func failingChaincodeYieldsErrorResponseWithoutEvent() throws {
        let result = try Fixtures.run(Self.seeded()) { (stub: ChaincodeStub) throws -> [UInt8] in
            try stub.setEvent("never", [])
            _ = try stub.integer(0, "amount")
            return []
        }
        #expect(!result.succeeded && result.payload.response.status == 400)
        #expect(result.payload.response.message.contains("missing argument 1 (amount)"))
        #expect(result.payload.event == nil)
    }

    @Test func unknownChaincodeThrows() {
        #expect(throws: SimulationError.self) {
            try Simulator(registry: ChaincodeRegistry()).simulate(Fixtures.proposal("nope", "f"), proposalHash: [], on: InMemoryState())
        }
    }

    @Test func storageFailureFailsTheSimulationEvenIfCaught() {
        struct BrokenState: StateSnapshot {
            struct Broken: Error {}
            var height: UInt64 { 0 }
            func value(namespace: String, key: String) throws -> VersionedValue? { throw Broken() }
            func scan(namespace: String, from start: String, to end: String, limit: Int) throws -> [StateEntry] { throw Broken() }
            func query(namespace: String, selector: String, limit: Int) throws -> [StateEntry] { throw Broken() }
            func history(namespace: String, key: String, limit: Int) throws -> [KeyModification] { throw Broken() }
        }
        let registry = ChaincodeRegistry([InstalledChaincode(name: "cc", chaincode: ClosureChaincode { stub in
            _ = try? stub.getState("a")
            return []
        }, endorsementPolicy: "ANY peer")])
        #expect(throws: SimulationError.self) {
            try Simulator(registry: registry).simulate(Fixtures.proposal("cc", "f"), proposalHash: [], on: BrokenState())
        }
    }
}
