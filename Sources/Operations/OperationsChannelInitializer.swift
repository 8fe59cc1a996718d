import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// Sets up each connection the operations server accepts: admission under the connection cap, then
/// (with TLS) the plaintext guard and the TLS handler from the current credentials, the read deadlines,
/// and the HTTP/1.1 codec.
struct OperationsChannelInitializer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    let configuration: OperationsServer.Configuration
    let admission: ConnectionAdmission
    let logger: Logger

    init(configuration: OperationsServer.Configuration, logger: Logger) {
        self.configuration = configuration
        admission = ConnectionAdmission(limit: configuration.maxConnections)
        self.logger = logger
    }

    /// Configures `channel` (on its event loop, just accepted); nil when it was refused and closed.
    func initialize(_ channel: any Channel) -> Connection? {
        guard admit(channel) else { return nil }
        do {
            let sync = channel.pipeline.syncOperations
            if let tls = configuration.tls {
                try sync.addHandler(PlaintextOnTLSPortResponder())
                // Any presented chain is accepted here; OperationsTLS.isAdministrator judges it per request.
                try sync.addHandler(NIOSSLServerHandler(context: try tls.context()) { _, verified in
                    verified.succeed(.certificateVerified)
                })
            }
            try sync.addHandler(ReadDeadlineHandler(
                requestTimeout: configuration.requestTimeout, idleTimeout: configuration.idleTimeout, logger: logger))
            try sync.configureHTTPServerPipeline(withErrorHandling: false)
            try sync.addHandler(BadRequestResponder())
            try sync.addHandler(RequestBoundaryHandler())
            return try Connection(wrappingChannelSynchronously: channel)
        } catch {
            logger.error("cannot set up an operations connection", metadata: ["error": "\(error)"])
            channel.close(promise: nil)
            return nil
        }
    }

    private func admit(_ channel: any Channel) -> Bool {
        let (decision, endedBurst) = admission.admit()
        if let refused = endedBurst {
            logger.notice("operations endpoint admits connections again", metadata: ["refused": "\(refused)"])
        }
        switch decision {
        case .admitted:
            channel.closeFuture.whenComplete { [admission] _ in admission.release() }
            return true
        case .refused(let firstOfBurst):
            if firstOfBurst {
                logger.warning("operations endpoint at its connection cap; closing new connections until one ends",
                               metadata: ["maxConnections": "\(admission.limit)"])
            }
            channel.close(promise: nil)
            return false
        }
    }
}
