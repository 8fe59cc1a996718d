#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCommandLine

/// Runs the same cases on revm through Chaincode/evm/bench_revm.py.
enum RevmComparison {
    static func run(cases: [EVMBenchCase], repeats: Int, cpuClock: Bool, script: String) -> Result<[String: (gasUsed: Int, seconds: Double)], Failure> {
        guard FileManager.default.fileExists(atPath: script) else { return .failure(Failure("\(script) not found")) }
        let request = JSONValue.object(["clock": .string(cpuClock ? "cpu" : "wall"), "cases": .array(cases.map { benchCase in
            var object: [String: JSONValue] = ["name": .string(benchCase.name), "calldata": .string(Hex.encode(benchCase.calldata)),
                                               "repeats": .integer(repeats), "calls": .integer(benchCase.calls)]
            if let code = benchCase.code { object["code"] = .string(Hex.encode(code)) }
            if let initCode = benchCase.initCode { object["initcode"] = .string(Hex.encode(initCode)) }
            return .object(object)
        })])
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess.run(["python3", script], input: Array(request.text.utf8))
        } catch {
            return .failure(Failure("cannot start python3: \(error.message)"))
        }
        let errorText = String(decoding: outcome.errors, as: UTF8.self)
        guard outcome.status == 0, let rows = try? JSONDecoder().decode([Row].self, from: Data(outcome.output)) else {
            return .failure(Failure("python3 \(script) failed (pip install pyrevm?): \(errorText.suffix(300))"))
        }
        var results: [String: (gasUsed: Int, seconds: Double)] = [:]
        for row in rows {
            if let name = row.name, let gas = row.gasUsed, let seconds = row.seconds { results[name] = (gas, seconds) }
        }
        return .success(results)
    }

    /// One result line of the script; rows missing a field are skipped.
    private struct Row: Decodable {
        var name: String?
        var gasUsed: Int?
        var seconds: Double?
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
