import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftClient
import WeftCore
import WeftNode
import WeftCommandLine

/// `weft network remove-orderer`: remove an orderer from a running local network's channel
/// (docs/governance.md, "Adding and removing orderers").
struct NetworkRemoveOrdererCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove-orderer",
        abstract: "Remove an orderer (a consenter) from a running local network's channel, then stop it.",
        discussion: """
        Creates the update that removes the consenter, has every organization's admin sign it, submits it \
        and waits until it is in force. The Raft leader then removes the orderer from Raft's membership (an \
        orderer that leads hands its leadership over first). Once another orderer leads, the removed one \
        is stopped and left out of profile.yaml; its folder stays. With --keep-running it keeps running \
        (it may still be a consenter of another channel).

        Example:
          weft network remove-orderer --dir ./weft-net --name orderer0.orderer --channel mychannel
        """)

    @OptionGroup var directory: NetworkDirectoryOption
    @Option(help: "The orderer to remove (its consenter name, e.g. orderer0.orderer).") var name: String
    @Option(help: "The channel to remove it from (default: the network's first channel).") var channel: String?
    @Option(help: "Seconds to wait for the update and the handover.") var timeout = 60
    @Flag(name: .customLong("keep-running"), help: "Leave the orderer's process running.") var keepRunning = false
    @Flag(help: "Print one JSON document instead of text.") var json = false

    func run() async throws {
        let folder = directory.url
        var (state, profilePath, profile, changes) = try LocalNetworkUpdate.open(directory, channel: channel, timeout: timeout)
        let channel = changes.channel
        guard profile.orderers.contains(where: { $0.name == name }) else {
            throw CLIFailure(.usage, "--name \(name): the network has no orderer of that name (\(profile.orderers.map(\.name).joined(separator: ", ")))")
        }
        let configBlock = try await changes.submit([.removeConsenter(name: name)], label: "remove-\(name)", progress: progress)
        progress("\(name) is no longer a consenter of \(channel) from block \(configBlock + 1)")

        var remaining = profile
        remaining.orderers.removeAll { $0.name == name }
        remaining.channel = channel
        let leader = try await waitForAnotherLeader(remaining)
        progress("\(leader) leads \(channel)")
        if !keepRunning, let index = state.nodes.firstIndex(where: { $0.name == name }) {
            if let pid = state.nodes[index].pid { try await NetworkDownCommand.stop([(name, pid)], grace: 15) }
            state.nodes.remove(at: index)
            try state.save(to: folder)
            var written = try ConnectionProfile.loadAsWritten(path: profilePath)
            written.orderers.removeAll { $0.name == name }
            try written.yaml().write(toFile: profilePath, atomically: true, encoding: .utf8)
            progress("stopped \(name)")
        }
        if json {
            try JSONOutput.print(["removed": JSONValue.string(name), "channel": .string(channel), "configBlock": .unsigned(configBlock),
                                  "leader": .string(leader), "stopped": .bool(!keepRunning)])
        } else {
            print("\(name) removed from \(channel) (configuration block \(configBlock)); \(leader) leads")
        }
    }

    /// Waits until one of the remaining orderers leads the channel, as they report it; returns its name.
    private func waitForAnotherLeader(_ profile: ConnectionProfile) async throws -> String {
        guard let identity = profile.identity else { throw CLIFailure(.other, "profile.yaml names no client identity") }
        let gateway = try Gateway(profile: profile, identityFolder: identity)
        defer { Task { await gateway.close() } }
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            for orderer in profile.orderers {
                guard let status = try? await gateway.ordererStatus(orderer.name), status.isLeader else { continue }
                return orderer.name
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw CLIFailure(.unreachable, "no remaining orderer leads \(profile.channel) after \(timeout) s; see \(directory.dir)/logs")
    }

    private func progress(_ line: String) { DescriptorOutput.standardError(line + "\n") }
}
