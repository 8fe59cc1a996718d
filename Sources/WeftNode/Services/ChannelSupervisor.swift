import Logging
import ServiceLifecycle

/// The service that owns a node's channels while the process runs: on a graceful shutdown it closes
/// every channel (after the RPC server stopped, before the operations endpoint does); when a channel
/// reports a fatal failure (`ChannelFailures`) it logs it, closes the channels and throws, so the
/// service group shuts the rest of the process down and `weft … start` exits non-zero.
struct ChannelSupervisor: Service, CustomStringConvertible {
    /// Closes every open channel (`ChannelRegistry.closeAll`).
    let closeChannels: @Sendable () async -> Void
    let failures: ChannelFailures
    /// "orderer orderer0.example" or "peer peer0.org1", for the log line.
    let nodeName: String
    let logger: Logger

    var description: String { "the channels" }

    func run() async throws {
        var failure: ComponentFailure?
        for await reported in failures.reports.cancelOnGracefulShutdown() {
            failure = reported
            break
        }
        if let failure {
            logger.critical("\(nodeName): \(failure); stopping the process")
        }
        await closeChannels()
        if let failure { throw failure }
    }
}
