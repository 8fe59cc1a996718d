import Logging
import Operations
import ServiceLifecycle

/// A node's operations endpoint (`/healthz`, `/metrics`, `/logspec`, `/version`) as a service: the
/// first to start and the last to stop, so `/healthz` answers — unhealthy, when a component failed —
/// until the process is about to exit. Does nothing but wait when the configuration names no
/// `operations` address.
struct OperationsService: Service, CustomStringConvertible {
    let context: NodeContext
    let checks: [(component: String, check: @Sendable () async throws -> Void)]
    let logger: Logger

    var description: String { "the operations endpoint" }

    func run() async throws {
        let server: OperationsServer?
        do {
            server = try await NodeOperations.start(context, checks: checks, logger: logger)
        } catch {
            throw ComponentFailure(component: description, error: error)
        }
        try? await gracefulShutdown()
        await server?.shutdown()
    }
}
