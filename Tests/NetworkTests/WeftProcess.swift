import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the `weft` executable built beside the tests, as a user would. Output goes to temporary files
/// and the exit is polled with `waitpid`, so no thread blocks and no pipe can be held open by the
/// background nodes a command starts.
enum WeftProcess {
    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `weft` binary of this build.
    static let executable: String = {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent("weft")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url.path }
        }
        return ".build/debug/weft"
    }()

    /// Starts `weft arguments…` in the background with its output appended to `log`; returns its pid.
    /// The caller kills and reaps it (a node started in a `StaleNetworkReaper` folder, with a path in
    /// that folder among its arguments, is also killed by the next run if this runner dies first).
    static func spawn(_ arguments: [String], log: String) throws -> pid_t {
        try spawn(program: executable, [executable] + arguments, log: log)
    }

    /// Starts `program` with `argv` (its first element the program's name) like `spawn(_:log:)`:
    /// e.g. `/bin/sh -c '…; exec "$0" "$@"' weft …` to start `weft` under a resource limit.
    static func spawn(program: String, _ argv: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in arguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, nil, arguments, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        return pid
    }

    /// Runs `weft arguments…` to completion, with `environment` added to this process's; kills it
    /// after `timeout`.
    static func run(_ arguments: [String], timeout: Duration = .seconds(180), environment: [String: String] = [:]) async throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("stdout").path
        let err = folder.appendingPathComponent("stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        var envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = environment.isEmpty
            ? posix_spawn(&pid, executable, &actions, nil, argv, environ)
            : posix_spawn(&pid, executable, &actions, nil, argv, &envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        let deadline = ContinuousClock.now + timeout
        while waitpid(pid, &status, WNOHANG) == 0 {
            if ContinuousClock.now > deadline { kill(pid, SIGKILL) }
            try await Task.sleep(for: .milliseconds(20))
        }
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(status: exitStatus,
                       stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
