import EVM
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeftCore
import WeftCommandLine

/// Runs one bench case through `EVMExecutor` with an in-memory world.
enum EVMBenchRunner {
    static let contract = Address(0xc0c0c0)

    static func run(_ benchCase: EVMBenchCase, repeats: Int, cpuClock: Bool) throws -> EVMBenchRow {
        let state = InMemoryWorldState()
        let context = ExecutionContext(origin: EVMBenchCase.alice, number: 1, timestamp: 1)
        let executor = EVMExecutor()
        state.setAccount(Account(balance: UInt256(1) .shiftedLeft(by: 100)), at: EVMBenchCase.alice)
        var target = contract
        if let code = benchCase.code {
            state.setAccount(Account(code: code), at: contract)
        } else if let initCode = benchCase.initCode {
            let deploy = try executor.execute(
                EVMTransaction(sender: EVMBenchCase.alice, target: .create, input: initCode, gasLimit: 30_000_000),
                on: state, context: context)
            guard deploy.status == .success, let address = deploy.createdAddress else {
                throw CLIFailure(.other, "deploying the \(benchCase.name) contract failed: \(deploy.status)")
            }
            state.apply(deploy.changes)
            target = address
        }
        let transaction = EVMTransaction(sender: EVMBenchCase.alice, target: .call(target), input: benchCase.calldata,
                                      gasLimit: Int(Int64.max) / 8)
        var times: [Double] = []
        var gasUsed = 0
        for _ in 0..<max(repeats, 1) {
            let start = now(cpuClock)
            for _ in 0..<benchCase.calls {
                let result = try executor.execute(transaction, on: state, context: context)
                guard result.status == .success else {
                    throw CLIFailure(.other, "\(benchCase.name) failed: \(result.status)")
                }
                if benchCase.perCall { state.apply(result.changes) }
                gasUsed = result.gasUsed
            }
            times.append(now(cpuClock) - start)
        }
        times.sort()
        return EVMBenchRow(name: benchCase.name, gasUsed: gasUsed, seconds: times[times.count / 2], calls: benchCase.calls)
    }

    /// Seconds on this thread's CPU clock, or on the monotonic wall clock.
    static func now(_ cpuClock: Bool) -> Double {
        var time = timespec()
        clock_gettime(cpuClock ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
