import EVM
import Foundation
import Testing
import WeftCore
import WeftTestSupport

/// Every case of state-cancun-expectations.json: the transaction runs through `EVMExecutor` on the
/// pre-state of the test's own file, and success, output, Cancun gas used, logs and the final value
/// of every listed slot must match.
@Suite struct CancunStateTests {
    typealias J = ConformanceJSON

    @Test func everyCancunExpectation() throws {
        let root = try J.object(
            try JSONSerialization.jsonObject(with: Vectors.data("ethereum-vmtests/state-cancun-expectations.json")), "root")
        guard let cases = root["cases"] as? [[String: Any]] else { throw J.Malformed(description: "no cases") }
        var files: [String: [String: Any]] = [:]
        var failures: [String] = []
        for testCase in cases {
            let file = try J.string(testCase["file"], "file")
            if files[file] == nil {
                files[file] = try J.object(
                    try JSONSerialization.jsonObject(with: Vectors.data("ethereum-vmtests/state/" + file)), file)
            }
            let name = try J.string(testCase["test"], "test")
            let label = (testCase["label"] as? String) ?? "#\(testCase["postIndex"] ?? "")"
            let test = try J.object(files[file]?[name], "\(file) \(name)")
            if let problem = try run(testCase, test: test) { failures.append("\(name) \(label): \(problem)") }
        }
        #expect(!cases.isEmpty, "no cases in state-cancun-expectations.json")
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) failed:\n\(failures.joined(separator: "\n"))")
    }

    func run(_ testCase: [String: Any], test: [String: Any]) throws -> String? {
        let env = try J.object(test["env"], "env")
        let tx = try J.object(testCase["tx"], "tx")
        let transactionSection = try J.object(test["transaction"], "transaction")
        let state = InMemoryWorldState()
        try J.load(pre: try J.object(test["pre"], "pre"), into: state)

        let sender = try J.address(tx["sender"], "sender")
        let gasLimit = try J.int(tx["gasLimit"], "gasLimit")
        let gasPrice = try J.word(transactionSection["gasPrice"], "gasPrice")
        let baseFee = try J.word(env["currentBaseFee"], "baseFee")
        let context = ExecutionContext(
            origin: sender, gasPrice: gasPrice, coinbase: try J.address(env["currentCoinbase"], "coinbase"),
            number: UInt64(try J.int(env["currentNumber"], "number")),
            timestamp: UInt64(try J.int(env["currentTimestamp"], "timestamp")),
            gasLimit: UInt64(try J.int(env["currentGasLimit"], "gasLimit")),
            prevRandao: try J.word(env["currentRandom"], "random"), chainID: .one, baseFee: baseFee)

        // The sender buys the gas up front, as a block producer would charge it.
        var payer = state.account(sender) ?? Account()
        payer.balance = payer.balance &- UInt256(gasLimit) &* gasPrice
        state.setAccount(payer, at: sender)

        let transaction = EVMTransaction(
            sender: sender, target: .call(try J.address(tx["to"], "to")), value: try J.word(tx["value"], "value"),
            input: try J.bytes(tx["data"], "data"), gasLimit: gasLimit)
        let result = try EVMExecutor().execute(transaction, on: state, context: context)
        state.apply(result.changes)

        let expectSuccess = (testCase["success"] as? Bool) ?? false
        if (result.status == .success) != expectSuccess { return "status \(result.status)" }
        if try J.bytes(testCase["output"], "output") != result.output { return "output \(Hex.encode(result.output))" }
        let expectedGas = try J.int(testCase["gasUsed_tx"].map { "0x" + String($0 as? Int ?? -1, radix: 16) }, "gasUsed_tx")
        if result.gasUsed != expectedGas { return "gas used \(result.gasUsed), expected \(expectedGas)" }
        if let problem = try compareLogs(testCase["logs"], result.logs) { return problem }
        for (key, slots) in try J.object(testCase["storage"], "storage") {
            let address = try J.address(key, "storage address")
            for (slot, value) in try J.object(slots, "slots") {
                let expected = try J.word(value, "value"), actual = state.storage(address, key: try J.word(slot, "slot"))
                if expected != actual { return "storage \(address)[\(slot)] = \(actual), expected \(expected)" }
            }
        }
        return nil
    }

    func compareLogs(_ expectedValue: Any?, _ logs: [Log]) throws -> String? {
        guard let expected = expectedValue as? [[String: Any]] else { return "logs missing" }
        if expected.count != logs.count { return "\(logs.count) logs, expected \(expected.count)" }
        for (log, want) in zip(logs, expected) {
            let topics = try (want["topics"] as? [String] ?? []).map { try J.word($0, "topic") }
            if try log.address != J.address(want["address"], "log address") || log.topics != topics
                || log.data != J.bytes(want["data"], "log data") {
                return "log differs: \(log)"
            }
        }
        return nil
    }
}
