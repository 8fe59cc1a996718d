import EVM
import Foundation
import Testing
import WeftCore
import WeftTestSupport

/// All 572 legacy VMTests (ethereum/tests before 2021-04), one frame each: storage, output and logs
/// hash after success, and failure where the file has no `post`. Gas is the Homestead schedule
/// there, so it is not compared (docs/evm.md).
@Suite struct LegacyVMTests {
    struct Outcome {
        var checked = 0
        var failures: [String] = []
    }

    @Test func everyLegacyVMTest() throws {
        let files = try ConformanceJSON.files(under: "ethereum-vmtests/legacy/VMTests")
        var outcome = Outcome()
        for file in files {
            let root = try ConformanceJSON.object(try JSONSerialization.jsonObject(with: Data(contentsOf: file)), file.path)
            for (name, test) in root {
                outcome.checked += 1
                if let problem = try run(try ConformanceJSON.object(test, name)) {
                    outcome.failures.append("\(file.deletingLastPathComponent().lastPathComponent)/\(name): \(problem)")
                }
            }
        }
        #expect(outcome.checked > 0, "no legacy VM tests found")
        #expect(outcome.failures.isEmpty, "\(outcome.failures.count) failed:\n\(outcome.failures.joined(separator: "\n"))")
    }

    /// Runs one test; returns what differed, or nil.
    func run(_ test: [String: Any]) throws -> String? {
        typealias J = ConformanceJSON
        let exec = try J.object(test["exec"], "exec")
        let env = try J.object(test["env"], "env")
        let state = InMemoryWorldState()
        try J.load(pre: try J.object(test["pre"], "pre"), into: state)
        let address = try J.address(exec["address"], "address")
        let code = try J.bytes(exec["code"], "code")
        var account = state.account(address) ?? Account()
        account.code = code
        state.setAccount(account, at: address)

        let context = ExecutionContext(
            origin: try J.address(exec["origin"], "origin"), gasPrice: try J.word(exec["gasPrice"], "gasPrice"),
            coinbase: try J.address(env["currentCoinbase"], "coinbase"),
            number: UInt64(try J.int(env["currentNumber"], "number")),
            timestamp: UInt64(try J.int(env["currentTimestamp"], "timestamp")),
            gasLimit: UInt64(try J.int(env["currentGasLimit"], "gasLimit")),
            prevRandao: try J.word(env["currentDifficulty"], "difficulty"))
        let journal = StateJournal(backend: state, context: context)
        let caller = try J.address(exec["caller"], "caller")
        for warm in [address, caller, context.origin] { journal.prewarm(warm) }
        // The frame runs as if the value had already arrived (these tests have no transaction):
        // a DELEGATECALL-kind message reports CALLVALUE without moving it.
        let message = Message(
            kind: .delegateCall, gas: try J.int(exec["gas"], "gas"), recipient: address, sender: caller,
            value: try J.word(exec["value"], "value"), input: try J.bytes(exec["data"], "data"))
        let result = VirtualMachine(host: journal).execute(message)

        guard let post = test["post"] as? [String: Any] else {
            return result.status == .success ? "expected failure, got success" : nil
        }
        guard result.status == .success else { return "expected success, got \(result.status)" }
        if let out = test["out"], try J.bytes(out, "out") != result.output {
            return "output \(Hex.encode(result.output))"
        }
        if let logs = test["logs"], try J.bytes(logs, "logs") != RLP.logsHash(journal.logs) {
            return "logs hash differs (\(journal.logs.count) logs)"
        }
        state.apply(journal.changes())
        return try compareStorage(post: post, state: state)
    }
}

/// Compares the storage of every account in `post` with `state`; nil when equal.
func compareStorage(post: [String: Any], state: InMemoryWorldState) throws -> String? {
    for (key, value) in post {
        let address = try ConformanceJSON.address(key, "post address")
        var expected: [UInt256: UInt256] = [:]
        for (slot, slotValue) in try ConformanceJSON.object(try ConformanceJSON.object(value, key)["storage"], "storage") {
            let word = try ConformanceJSON.word(slotValue, "slot value")
            if !word.isZero { expected[try ConformanceJSON.word(slot, "slot")] = word }
        }
        let actual = state.slots[address] ?? [:]
        if actual != expected { return "storage of \(address): expected \(expected), got \(actual)" }
    }
    return nil
}
