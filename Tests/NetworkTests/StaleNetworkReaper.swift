import Foundation

/// Cleans up after test runs that could not: a runner killed or cancelled mid-test leaves its network's
/// node processes running (`weft network up` starts them detached) and its folder behind. Each fixture
/// folder records the pid of the runner that made it (`runner.pid`); before a fixture starts, every
/// fixture folder whose runner is gone has its processes killed and is removed.
enum StaleNetworkReaper {
    /// Fixture folders start with this, under the temporary directory.
    static let folderPrefix = "weft-net-test-"
    static let runnerFile = "runner.pid"

    /// Marks `folder` as this runner's.
    static func claim(_ folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("\(getpid())\n".utf8).write(to: folder.appendingPathComponent(runnerFile))
    }

    /// Kills the processes of every fixture folder whose runner no longer runs, and removes the folder.
    /// Returns the pids it killed.
    @discardableResult
    static func reap() -> [Int32] {
        let temporary = FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        var killed: [Int32] = []
        for name in names where name.hasPrefix(folderPrefix) {
            let folder = temporary.appendingPathComponent(name)
            let runnerText = (try? String(contentsOf: folder.appendingPathComponent(runnerFile), encoding: .utf8)) ?? ""
            guard let runner = Int32(runnerText.trimmingCharacters(in: .whitespacesAndNewlines)), !isRunning(runner) else {
                continue
            }
            for pid in processes(mentioning: folder.path) {
                kill(pid, SIGKILL)
                killed.append(pid)
            }
            try? FileManager.default.removeItem(at: folder)
        }
        return killed
    }

    /// Processes whose command line names `path` (a node started with a config inside the folder).
    static func processes(mentioning path: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard pid != getpid(), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.contains { $0.hasPrefix(path) }
        }
    }

    private static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
