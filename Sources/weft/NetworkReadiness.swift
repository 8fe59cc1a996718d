#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import Ledger
import WeftClient
import WeftCore
import WeftNode
import WeftCommandLine

/// Waits for a freshly started local network to serve: every node process alive, a Raft leader, and a
/// first committed transaction (asset-transfer `InitLedger` on a new network).
struct NetworkReadiness {
    let folder: URL
    let state: LocalNetworkState
    let timeout: Duration
    let progress: (String) -> Void

    func wait() async throws {
        let profile = try ConnectionProfile.load(path: folder.appendingPathComponent("profile.yaml").path)
        guard let identityPath = profile.identity else { throw CLIFailure(.other, "profile.yaml names no client identity") }
        let gateway = try Gateway(profile: profile, identityFolder: identityPath)
        defer { Task { await gateway.close() } }
        let deadline = ContinuousClock.now + timeout
        progress("waiting for a Raft leader")
        while true {
            try checkProcesses()
            if let leader = await leader(gateway, profile) {
                progress("orderer \(leader) leads")
                break
            }
            try await pause(until: deadline, "no Raft leader was elected")
        }
        while true {
            try checkProcesses()
            do {
                guard case .info(let info) = try await gateway.query(.info) else { throw CLIFailure(.other, "unexpected answer") }
                // Block 0 is the channel's genesis block: a transaction has committed from height 2 on.
                if info.height > 1 {
                    progress("the ledger is at height \(info.height)")
                    return
                }
                progress("submitting the first transaction (asset-transfer InitLedger)")
                let result = try await gateway.submitDirect(chaincode: "asset-transfer", function: "InitLedger", arguments: [], timeout: .seconds(20))
                progress("first transaction \(result.code.name) in block \(result.blockNumber)")
                if result.code.isValid { return }
            } catch let error as GatewayError {
                progress("not ready yet: \(error)")
            }
            try await pause(until: deadline, "the network did not commit a first transaction")
        }
    }

    private func leader(_ gateway: Gateway, _ profile: ConnectionProfile) async -> UInt64? {
        for orderer in profile.orderers {
            if let status = try? await gateway.ordererStatus(orderer.name), status.leader != 0 { return status.leader }
        }
        return nil
    }

    /// Fails with the end of a node's log when its process has exited.
    private func checkProcesses() throws {
        for node in state.nodes {
            guard let pid = node.pid, !ProcessLauncher.isAlive(pid) else { continue }
            let log = (try? String(contentsOf: folder.appendingPathComponent(node.log), encoding: .utf8)) ?? ""
            let tail = log.split(separator: "\n").suffix(8).joined(separator: "\n")
            throw CLIFailure(.other, "\(node.role.rawValue) \(node.name) exited; end of \(node.log):\n\(tail)")
        }
    }

    private func pause(until deadline: ContinuousClock.Instant, _ failure: String) async throws {
        guard ContinuousClock.now < deadline else {
            throw CLIFailure(.unreachable, "\(failure) within \(timeout); see the logs in \(folder.path)/logs")
        }
        try await Task.sleep(for: .milliseconds(300))
    }
}
