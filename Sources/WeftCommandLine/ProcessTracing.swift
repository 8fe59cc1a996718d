#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Operations
import ServiceLifecycle

/// Where a `weft` process turns traces on: nodes and `weft tx submit` bootstrap the OTLP exporter
/// when `WEFT_OTLP_ENDPOINT` is set (docs/operations.md, "Traces"), and do nothing otherwise.
public enum ProcessTracing {
    /// The exporter to run first in a node's service group (so it stops last and flushes the node's
    /// final spans); empty when tracing is off.
    public static func nodeServices(name: String, role: String, logger: Logger) throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let environment = ProcessInfo.processInfo.environment
        guard let exporter = try TracingBootstrap.bootstrapIfConfigured(
            serviceName: name, role: role, environment: environment, logger: logger) else { return [] }
        return [.init(service: exporter)]
    }

    /// Runs a client command's work; with tracing on, the exporter runs beside it and is flushed
    /// before this returns, so a short-lived command's spans are not lost.
    public static func client<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        var logger = Logger(label: "weft.tracing")
        logger.logLevel = .warning   // a command's output stays its own; export failures still show
        guard let exporter = try TracingBootstrap.bootstrapIfConfigured(
            serviceName: "weft-client", role: "client", environment: ProcessInfo.processInfo.environment, logger: logger)
        else { return try await work() }
        let group = ServiceGroup(services: [exporter], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result<T, any Error>
            do { result = .success(try await work()) } catch { result = .failure(error) }
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            return try result.get()
        }
    }
}
