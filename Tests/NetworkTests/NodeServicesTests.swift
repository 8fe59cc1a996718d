import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import Testing
@testable import WeftNode

/// The contract of a node's services in one `ServiceGroup`, in process (the real processes are
/// `NodeServiceGroupTests`): a channel's fatal failure and a job that ends by itself stop the group
/// with an error naming them, after the other parts shut down gracefully; a graceful shutdown stops
/// every part without one.
@Suite struct NodeServicesTests {
    static let logger = Logger(label: "weft.test.services")

    @Test func aChannelFailureClosesTheChannelsShutsTheOthersDownAndEndsTheGroupWithIt() async throws {
        let failures = ChannelFailures()
        let closed = NIOLockedValueBox(false)
        let shutDown = NIOLockedValueBox(false)
        let supervisor = ChannelSupervisor(closeChannels: { closed.withLockedValue { $0 = true } }, failures: failures,
                                           nodeName: "orderer o0", logger: Self.logger)
        let group = ServiceGroup(configuration: .init(services: [
            .component(supervisor),
            .component(BackgroundJob("a job") {
                try? await Task.sleep(for: .seconds(3600))
                shutDown.withLockedValue { $0 = true }
            }),
        ], logger: Self.logger))
        failures.report(ComponentFailure(component: "the ordering node of channel c", reason: "disk full"))
        #expect(failures.first?.description == "the ordering node of channel c failed: disk full")   // what /healthz reports
        await #expect(throws: ComponentFailure.self) { try await group.run() }
        #expect(closed.withLockedValue { $0 })
        #expect(shutDown.withLockedValue { $0 })
    }

    @Test func aJobThatEndsByItselfEndsTheGroupWithItsName() async throws {
        let group = ServiceGroup(configuration: .init(services: [
            .component(BackgroundJob("the TLS certificate watch") {}),
        ], logger: Self.logger))
        do {
            try await group.run()
            Issue.record("the group ran on")
        } catch let failure as ComponentFailure {
            #expect(failure.description == "the TLS certificate watch failed: it stopped by itself")
        }
    }

    @Test func aGracefulShutdownStopsEveryPartWithoutAFailure() async throws {
        let failures = ChannelFailures()
        let closed = NIOLockedValueBox(false)
        let group = ServiceGroup(configuration: .init(services: [
            .component(ChannelSupervisor(closeChannels: { closed.withLockedValue { $0 = true } }, failures: failures,
                                         nodeName: "peer p0", logger: Self.logger)),
            .component(BackgroundJob("a job") { try? await Task.sleep(for: .seconds(3600)) }),
        ], logger: Self.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(closed.withLockedValue { $0 })
        #expect(failures.first == nil)
    }
}
