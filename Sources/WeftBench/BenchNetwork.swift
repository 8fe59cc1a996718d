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
import Dispatch
import WeftCommandLine

/// Starts and stops a benchmark's own local network with the same `weft` binary.
enum BenchNetwork {
    static func up(_ folder: URL, channels: Int = 1) async throws -> Bool {
        try await run(["network", "up", "--dir", folder.path, "--orgs", "2", "--peers", "1", "--orderers", "3", "--batch-timeout-ms", "100",
                       "--channels", "\(channels)"]) == 0
    }

    /// Until the returned guard is released, SIGINT or SIGTERM (a Ctrl-C, a supervisor stopping the
    /// benchmark) stops the network in `folder` before this process exits (status 128 + signal), so no
    /// node outlives the benchmark.
    static func stopOnSignal(_ folder: URL) -> SignalGuard {
        SignalGuard(sources: [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                down(folder)
                exit(128 + number)
            }
            source.resume()
            return (number, source)
        })
    }

    /// The signal handlers of `stopOnSignal`; `release()` restores the default handling.
    struct SignalGuard {
        fileprivate let sources: [(Int32, any DispatchSourceSignal)]

        func release() {
            for (number, source) in sources {
                source.cancel()
                signal(number, SIG_DFL)
            }
        }
    }

    static func down(_ folder: URL) {
        let semaphore = DispatchSemaphore(value: 0)
        Task.detached {
            _ = try? await run(["network", "down", "--dir", folder.path, "--remove"])
            semaphore.signal()
        }
        semaphore.wait()
    }

    /// Runs `weft arguments…` with its output on this process's stderr and waits for it by polling
    /// `waitpid` (the nodes it starts must not keep it looking alive).
    private static func run(_ arguments: [String]) async throws -> Int32 {
        let pid = try ProcessLauncher.spawn(ProcessLauncher.executablePath, arguments, log: "/dev/stderr")
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 { try await Task.sleep(for: .milliseconds(50)) }
        return (status >> 8) & 0xff
    }
}
