import EVM
import Foundation
import WeftCore

/// Runs one bench case through `EVMExecutor` with an in-memory world.
enum EVMBenchRunner {
    static let contract = Address(0xc0c0c0)

    static func run(_ benchCase: EVMBenchCase, repeats: Int) throws -> EVMBenchRow {
        let state = InMemoryWorldState()
        let context = ExecutionContext(origin: EVMBenchCases.alice, number: 1, timestamp: 1)
        let executor = EVMExecutor()
        state.setAccount(Account(balance: UInt256(1) .shiftedLeft(by: 100)), at: EVMBenchCases.alice)
        var target = contract
        if let code = benchCase.code {
            state.setAccount(Account(code: code), at: contract)
        } else if let initCode = benchCase.initCode {
            let deploy = executor.execute(
                EVMTransaction(sender: EVMBenchCases.alice, target: .create, input: initCode, gasLimit: 30_000_000),
                on: state, context: context)
            guard deploy.status == .success, let address = deploy.createdAddress else {
                throw CLIFailure(.other, "deploying the \(benchCase.name) contract failed: \(deploy.status)")
            }
            state.apply(deploy.changes)
            target = address
        }
        let transaction = EVMTransaction(sender: EVMBenchCases.alice, target: .call(target), input: benchCase.calldata,
                                      gasLimit: Int(Int64.max) / 8)
        var times: [Double] = []
        var gasUsed = 0
        for _ in 0..<max(repeats, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<benchCase.calls {
                let result = executor.execute(transaction, on: state, context: context)
                guard result.status == .success else {
                    throw CLIFailure(.other, "\(benchCase.name) failed: \(result.status)")
                }
                if benchCase.perCall { state.apply(result.changes) }
                gasUsed = result.gasUsed
            }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return EVMBenchRow(name: benchCase.name, gasUsed: gasUsed, seconds: times[times.count / 2], calls: benchCase.calls)
    }
}

/// Runs the same cases on revm through Chaincode/evm/bench_revm.py.
enum RevmComparison {
    static func run(cases: [EVMBenchCase], repeats: Int, script: String) -> Result<[String: (gasUsed: Int, seconds: Double)], Failure> {
        guard FileManager.default.fileExists(atPath: script) else { return .failure(Failure("\(script) not found")) }
        let request: [String: Any] = ["cases": cases.map { benchCase -> [String: Any] in
            var object: [String: Any] = ["name": benchCase.name, "calldata": Hex.encode(benchCase.calldata),
                                         "repeats": repeats, "calls": benchCase.calls]
            if let code = benchCase.code { object["code"] = Hex.encode(code) }
            if let initCode = benchCase.initCode { object["initcode"] = Hex.encode(initCode) }
            return object
        }]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
            input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: request))
            try input.fileHandleForWriting.close()
        } catch {
            return .failure(Failure("cannot start python3: \(error)"))
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let rows = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            return .failure(Failure("python3 \(script) failed (pip install pyrevm?): \(errorText.suffix(300))"))
        }
        var results: [String: (gasUsed: Int, seconds: Double)] = [:]
        for row in rows {
            if let name = row["name"] as? String, let gas = row["gasUsed"] as? Int, let seconds = row["seconds"] as? Double {
                results[name] = (gas, seconds)
            }
        }
        return .success(results)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
