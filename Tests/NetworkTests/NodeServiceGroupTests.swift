import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import WeftClient
import WeftNode

/// A node's parts — the operations endpoint, its channels, the RPC server, its background jobs — run
/// as services of one `ServiceGroup` per process (docs/operations.md, "When a component fails"). Real
/// processes on loopback: a node this test starts itself (`weft peer|orderer start`, in place of the
/// one `weft network up` started) so that it can read the exit status.
///
/// The failure is a real one, on the path production runs: the orderer runs under a file size limit
/// (`ulimit -f`, with SIGXFSZ ignored, so a write past it fails with EFBIG) a little above its largest
/// data file, and transactions are submitted until its Raft log or block file crosses it. The ordering
/// node then stops on the storage error and `run()` throws — which must stop the process.
@Suite(.serialized, .timeLimit(.minutes(5))) struct NodeServiceGroupTests {
    @Test func sigtermStopsAnOrdererAndAPeerGracefullyWithStatus0() async throws {
        try await LocalNetworkFixture.with(orderers: 1, orgs: 1) { network in
            for node in try network.state().nodes {
                let configuration = try await Self.takeOver(node.name, in: network)
                let log = network.folder.appendingPathComponent("logs/\(node.name).own.log").path
                let process = try OwnedProcess(pid: WeftProcess.spawn([node.role.rawValue, "start", "--config", configuration], log: log))
                defer { process.kill() }
                try await waitUntil("\(node.name) serves") { Self.text(log).contains(" serving ") }
                Glibc.kill(process.pid, SIGTERM)
                let status = try await process.exitStatus(within: .seconds(30))
                print("NodeServiceGroupTests: \(node.role.rawValue) \(node.name) exited with status \(status) on SIGTERM")
                #expect(status == 0, "\(node.name): \(Self.text(log))")
                #expect(Self.text(log).contains("\(node.role.rawValue) \(node.name) shutting down"), "\(Self.text(log))")
            }
        }
    }

    /// Closing a channel on purpose stops its ordering node and its block puller without a failure:
    /// the node serves on, and exits 0 on SIGTERM (a reported failure would have made it exit 4).
    @Test func leavingAChannelKeepsTheNodeRunning() async throws {
        try await LocalNetworkFixture.with(orderers: 1, orgs: 1) { network in
            for node in try network.state().nodes {
                let configuration = try await Self.takeOver(node.name, in: network)
                let log = network.folder.appendingPathComponent("logs/\(node.name).own.log").path
                let process = try OwnedProcess(pid: WeftProcess.spawn([node.role.rawValue, "start", "--config", configuration], log: log))
                defer { process.kill() }
                try await waitUntil("\(node.name) serves") { Self.text(log).contains(" serving ") }
                let remove = try await WeftProcess.run(["channel", "remove", "mychannel", "--dir", network.dir, "--node", node.name])
                #expect(remove.status == 0, "\(node.name): \(remove.stderr)")
                let list = try await WeftProcess.run(["channel", "list", "--dir", network.dir, "--node", node.name, "--json"])
                #expect(list.status == 0 && !list.stdout.contains("mychannel"), "\(node.name): \(list.stdout)\(list.stderr)")
                Glibc.kill(process.pid, SIGTERM)
                let status = try await process.exitStatus(within: .seconds(30))
                #expect(status == 0, "\(node.name): \(Self.text(log))")
                #expect(!Self.text(log).contains("stopping the process"), "\(Self.text(log))")
            }
        }
    }

    @Test func anOrderingNodeWhoseStorageFailsStopsTheOrdererWithStatus4AndALogLine() async throws {
        try await LocalNetworkFixture.with(orderers: 1, orgs: 1) { network in
            let gateway = try network.gateway()
            defer { Task { await gateway.close() } }
            try await Self.submit(gateway, key: "before")
            let orderer = try #require(try network.state().nodes.first { $0.role == .orderer })
            let configuration = try await Self.takeOver(orderer.name, in: network)
            let dataDir = try NodeConfiguration.load(path: configuration, environment: [:]).dataDir
            let largest = try #require(Self.fileSizes(under: dataDir).max())
            let blocks = (largest + 16 * 1024) / 512 + 1   // `ulimit -f` counts 512-byte blocks
            print("NodeServiceGroupTests: largest data file \(largest) bytes, file size limit \(blocks * 512) bytes")

            let log = network.folder.appendingPathComponent("logs/\(orderer.name).own.log").path
            let script = "trap '' XFSZ; ulimit -f \(blocks) && exec \"$0\" \"$@\""
            let process = try OwnedProcess(pid: WeftProcess.spawn(
                program: "/bin/sh", ["sh", "-c", script, WeftProcess.executable, "orderer", "start", "--config", configuration], log: log))
            defer { process.kill() }
            try await waitUntil("\(orderer.name) serves") { Self.text(log).contains(" serving ") }

            // Submit until a write crosses the limit; each block adds a few KB to the Raft log and the
            // block file, so this takes a handful of transactions.
            var submitted = 0
            while process.isRunning, submitted < 100 {
                submitted += 1
                try? await Self.submit(gateway, key: "after\(submitted)", timeout: .seconds(5))
            }
            let status = try await process.exitStatus(within: .seconds(60))
            let text = Self.text(log)
            print("NodeServiceGroupTests: the orderer exited with status \(status) after \(submitted) transactions")
            for line in text.split(separator: "\n") where line.contains("failed") || line.contains("error:") {
                print("NodeServiceGroupTests: \(line)")
            }
            #expect(status == 4, "\(text)")
            #expect(text.contains("the ordering node of channel mychannel failed"), "\(text)")
            #expect(text.contains("orderer \(orderer.name): the ordering node of channel mychannel failed") && text.contains("stopping the process"), "\(text)")
            #expect(text.contains("orderer \(orderer.name) shutting down"), "\(text)")
        }
    }

    /// Stops the node `weft network up` started with SIGTERM, waits until it exits, and returns the
    /// path of its configuration, for the test to start it itself.
    static func takeOver(_ name: String, in network: LocalNetworkFixture) async throws -> String {
        let node = try #require(try network.state().nodes.first { $0.name == name })
        let pid = try #require(node.pid)
        kill(pid, SIGTERM)
        try await waitUntil("\(name) (pid \(pid)) stops", timeout: .seconds(30)) { !OrdererCrashLoopTests.isRunning(pid) }
        return network.folder.appendingPathComponent(node.config).path
    }

    static func submit(_ gateway: Gateway, key: String, timeout: Duration = .seconds(30)) async throws {
        let arguments = [key, "red", "1", "dave", "1"].map { Array($0.utf8) }
        _ = try await gateway.submitDirect(chaincode: "asset-transfer", function: "CreateAsset", arguments: arguments, timeout: timeout)
    }

    static func fileSizes(under folder: String) -> [Int] {
        let url = URL(fileURLWithPath: folder)
        guard let files = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey]) else { return [] }
        return files.compactMap { ($0 as? URL).flatMap { try? $0.resourceValues(forKeys: [.fileSizeKey]).fileSize } }
    }

    static func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}

/// A child process this test started: polled with `waitpid`, killed and reaped if the test ends early.
final class OwnedProcess: @unchecked Sendable {
    // `reaped` is only touched from the test's task, one call at a time.
    let pid: pid_t
    private var reaped: Int32?

    init(pid: pid_t) { self.pid = pid }

    /// Whether the process has not exited yet (reaps it when it has).
    var isRunning: Bool {
        guard reaped == nil else { return false }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return true }
        reaped = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return false
    }

    /// The exit status (128 + the signal for a killed process), waiting at most `timeout` for it.
    func exitStatus(within timeout: Duration) async throws -> Int32 {
        try await waitUntil("pid \(pid) exits", timeout: timeout) { !isRunning }
        return reaped ?? -1
    }

    /// Kills and reaps the process unless it has exited.
    func kill() {
        guard isRunning else { return }
        Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        reaped = 128 + SIGKILL
    }
}
