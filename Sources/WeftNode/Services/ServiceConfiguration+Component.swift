import ServiceLifecycle

extension ServiceGroupConfiguration.ServiceConfiguration {
    /// A part of a node in the process's service group: named for the logs, and when it fails (or
    /// ends before the shutdown) the group shuts the other parts down gracefully, in reverse order,
    /// and `ServiceGroup.run()` throws its error — so the process exits non-zero.
    static func component(_ service: some Service & CustomStringConvertible) -> Self {
        .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup,
              failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: service.description)
    }
}
