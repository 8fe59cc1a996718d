import ArgumentParser
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
import WeftNode
import WeftCommandLine

/// `weft network down`: stop every node gracefully (SIGTERM, then SIGKILL after a grace period).
struct NetworkDownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Stop the local network's nodes (data is kept; `weft network up` restarts them).",
        discussion: """
        Example:
          weft network down --dir ./weft-net
          weft network down --dir ./weft-net --remove    # also delete the folder
        """
    )

    @OptionGroup var directory: NetworkDirectoryOption
    @Flag(help: "Delete the network folder after stopping.") var remove = false
    @Option(name: .customLong("grace-seconds"), help: "Seconds to wait after SIGTERM before SIGKILL.") var grace = 15

    func run() async throws {
        var state = try directory.state()
        let running = state.nodes.compactMap { node in node.pid.flatMap { ProcessLauncher.isAlive($0) ? (node.name, $0) : nil } }
        try await Self.stop(running, grace: grace)
        for index in state.nodes.indices { state.nodes[index].pid = nil }
        try state.save(to: directory.url)
        if remove { try FileManager.default.removeItem(at: directory.url) }
        print("stopped \(running.count) node\(running.count == 1 ? "" : "s")\(remove ? " and removed \(directory.dir)" : "")")
    }

    /// Stops the processes: SIGTERM to each, then SIGKILL to those still alive after `grace` seconds.
    static func stop(_ running: [(name: String, pid: Int32)], grace: Int) async throws {
        for (name, pid) in running {
            DescriptorOutput.standardError("stopping \(name) (pid \(pid))\n")
            kill(pid, SIGTERM)
        }
        let deadline = ContinuousClock.now + .seconds(grace)
        while running.contains(where: { ProcessLauncher.isAlive($0.pid) }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        for (name, pid) in running where ProcessLauncher.isAlive(pid) {
            DescriptorOutput.standardError("\(name) did not stop within \(grace) s; killing it\n")
            kill(pid, SIGKILL)
        }
    }
}
