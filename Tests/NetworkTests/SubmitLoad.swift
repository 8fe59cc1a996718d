import Foundation
import WeftClient

/// Transactions submitted one after another by `workers` concurrent submitters until cancelled
/// (asset-transfer `CreateAsset`, ids `<prefix><worker>-<n>`): what the network acknowledged as valid
/// and when, and every failure (an invalid code or an error). The load of the network tests that
/// change or break a running network.
final class SubmitLoad: Sendable {
    /// What the load saw.
    actor Commits {
        private(set) var txIDs: [String] = []
        private(set) var times: [ContinuousClock.Instant] = []
        private(set) var failures: [String] = []
        func add(_ txID: String) {
            txIDs.append(txID)
            times.append(.now)
        }
        func fail(_ reason: String) { failures.append(reason) }
        var count: Int { txIDs.count }

        /// The longest time without an acknowledged commit between `start` and `end`.
        func longestPause(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) -> Duration {
            let inside = [start] + times.filter { $0 > start && $0 < end }.sorted() + [end]
            return zip(inside, inside.dropFirst()).map { $1 - $0 }.max() ?? .zero
        }
    }

    let commits = Commits()
    private let task: Task<Void, Never>

    /// Starts submitting through `gateway`, pausing `pause` after each submit.
    init(_ gateway: Gateway, workers: Int, prefix: String, pause: Duration = .milliseconds(20), timeout: Duration = .seconds(20)) {
        let commits = commits
        task = Task {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<workers {
                    group.addTask {
                        var index = 0
                        while !Task.isCancelled {
                            index += 1
                            let arguments = ["\(prefix)\(worker)-\(index)", "green", "1", "carol", "1"].map { Array($0.utf8) }
                            do {
                                let result = try await gateway.submitDirect(chaincode: "asset-transfer", function: "CreateAsset", arguments: arguments, timeout: timeout)
                                if result.code == .valid { await commits.add(result.txID) } else { await commits.fail(result.code.name) }
                            } catch {
                                if !Task.isCancelled { await commits.fail("\(error)") }
                            }
                            try? await Task.sleep(for: pause)
                        }
                    }
                }
            }
        }
    }

    /// Stops submitting and waits until every submitter has returned.
    func stop() async {
        task.cancel()
        await task.value
    }
}
