import Foundation
import Identity
import Testing
import WeftClient
import WeftNode

/// A local network started with `weft network up` in a temporary folder (3 orderers, 2 organizations),
/// stopped and removed by `tearDown()` — with SIGKILL for any process left behind; a runner killed
/// before its tear-down has its processes killed by the next run (`StaleNetworkReaper`).
struct LocalNetworkFixture {
    let folder: URL
    var dir: String { folder.path }

    /// Starts a network, runs `body`, and always tears the network down before returning.
    /// `environment` is added to the nodes' (through `weft network up`, whose nodes inherit it).
    static func with(
        orderers: Int = 3, orgs: Int = 2, peers: Int = 1, batchTimeoutMilliseconds: Int = 100, arguments: [String] = [],
        environment: [String: String] = [:], _ body: (LocalNetworkFixture) async throws -> Void
    ) async throws {
        let network = try await start(orderers: orderers, orgs: orgs, peers: peers, batchTimeoutMilliseconds: batchTimeoutMilliseconds,
                                      arguments: arguments, environment: environment)
        do {
            try await body(network)
        } catch {
            await network.tearDown()
            throw error
        }
        await network.tearDown()
    }

    static func start(
        orderers: Int = 3, orgs: Int = 2, peers: Int = 1, batchTimeoutMilliseconds: Int = 100, arguments: [String] = [],
        environment: [String: String] = [:]
    ) async throws -> LocalNetworkFixture {
        StaleNetworkReaper.reap()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(StaleNetworkReaper.folderPrefix)\(UUID().uuidString)")
        try StaleNetworkReaper.claim(folder)
        let fixture = LocalNetworkFixture(folder: folder)
        let up = try await WeftProcess.run(["network", "up", "--dir", folder.path, "--orgs", "\(orgs)", "--peers", "\(peers)",
                                            "--orderers", "\(orderers)", "--batch-timeout-ms", "\(batchTimeoutMilliseconds)", "--timeout", "90"] + arguments,
                                           environment: environment)
        guard up.status == 0 else {
            await fixture.tearDown()
            throw FixtureError.startFailed("exit status \(up.status)\n" + up.stderr + up.stdout)
        }
        return fixture
    }

    enum FixtureError: Error, CustomStringConvertible {
        case startFailed(String)
        var description: String {
            switch self { case .startFailed(let output): "weft network up failed:\n\(output)" }
        }
    }

    func state() throws -> LocalNetworkState { try LocalNetworkState.load(from: folder) }

    func profile() throws -> ConnectionProfile { try ConnectionProfile.load(path: folder.appendingPathComponent("profile.yaml").path) }

    /// A gateway on `channel` (default: the profile's first) as `identity` (default: the profile's user).
    func gateway(channel: String? = nil, identity: String? = nil) throws -> Gateway {
        var profile = try profile()
        if let channel { profile.channel = channel }
        return try Gateway(profile: profile, identityFolder: identity ?? profile.identity ?? "")
    }

    /// The identity folder of `user` (e.g. `User1@org2`) of `organization` (e.g. `org2`).
    func user(_ user: String, of organization: String) -> String {
        folder.appendingPathComponent("crypto/peerOrganizations/\(organization)/users/\(user)").path
    }

    /// The nodes' log lines holding any of `words`, each prefixed with its node (to explain a failure).
    func logLines(containing words: [String], limit: Int = 60) -> String {
        let logs = folder.appendingPathComponent("logs")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: logs.path)) ?? []).sorted()
        var lines: [String] = []
        for name in names {
            let text = (try? String(contentsOf: logs.appendingPathComponent(name), encoding: .utf8)) ?? ""
            lines += text.split(separator: "\n").filter { line in words.contains { line.contains($0) } }.map { "\(name): \($0)" }
        }
        return lines.suffix(limit).joined(separator: "\n")
    }

    func pid(of name: String) throws -> Int32? { try state().nodes.first { $0.name == name }?.pid }

    func tearDown() async {
        _ = try? await WeftProcess.run(["network", "down", "--dir", folder.path, "--grace-seconds", "10"])
        for node in (try? state().nodes) ?? [] {
            if let pid = node.pid { kill(pid, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
