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
        orderers: Int = 3, orgs: Int = 2, peers: Int = 1, batchTimeoutMilliseconds: Int = 100, environment: [String: String] = [:],
        _ body: (LocalNetworkFixture) async throws -> Void
    ) async throws {
        let network = try await start(orderers: orderers, orgs: orgs, peers: peers, batchTimeoutMilliseconds: batchTimeoutMilliseconds,
                                      environment: environment)
        do {
            try await body(network)
        } catch {
            await network.tearDown()
            throw error
        }
        await network.tearDown()
    }

    static func start(
        orderers: Int = 3, orgs: Int = 2, peers: Int = 1, batchTimeoutMilliseconds: Int = 100, environment: [String: String] = [:]
    ) async throws -> LocalNetworkFixture {
        StaleNetworkReaper.reap()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(StaleNetworkReaper.folderPrefix)\(UUID().uuidString)")
        try StaleNetworkReaper.claim(folder)
        let fixture = LocalNetworkFixture(folder: folder)
        let up = try await WeftProcess.run(["network", "up", "--dir", folder.path, "--orgs", "\(orgs)", "--peers", "\(peers)",
                                            "--orderers", "\(orderers)", "--batch-timeout-ms", "\(batchTimeoutMilliseconds)", "--timeout", "90"],
                                           environment: environment)
        guard up.status == 0 else {
            await fixture.tearDown()
            throw FixtureError.startFailed(up.stderr + up.stdout)
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

    /// A gateway with the profile's default identity.
    func gateway() throws -> Gateway {
        let profile = try profile()
        return try Gateway(profile: profile, identityFolder: profile.identity ?? "")
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
