import Foundation
import WeftCore

/// Runs the same cases on revm through Chaincode/evm/bench_revm.py.
enum RevmComparison {
    static func run(cases: [EVMBenchCase], repeats: Int, cpuClock: Bool, script: String) -> Result<[String: (gasUsed: Int, seconds: Double)], Failure> {
        guard FileManager.default.fileExists(atPath: script) else { return .failure(Failure("\(script) not found")) }
        let request: [String: Any] = ["clock": cpuClock ? "cpu" : "wall", "cases": cases.map { benchCase -> [String: Any] in
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
