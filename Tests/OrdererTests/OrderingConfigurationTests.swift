import Foundation
import LocalOrdering
import Orderer
import PeerTestSupport
import Testing
import WeftCore

/// Configurations that cannot run are refused with a reason, before any file is touched.
@Suite struct OrderingConfigurationTests {
    @Test func invalidConfigurationsAreRefusedWithTheReason() throws {
        let network = try TestNetwork()
        let base = OrderingConfiguration(
            nodeID: 1, voters: [1, 2, 3], channelID: "mychannel", directory: "/nonexistent/weft-orderer-never-created",
            signer: network.orderer, validator: network.validator, writerMSPIDs: ["Org1MSP"])
        #expect(throws: Never.self) { try base.validate() }
        let cases: [(String, (inout OrderingConfiguration) -> Void)] = [
            ("not among the voters", { $0.voters = [2, 3] }),
            ("no organization may write", { $0.writerMSPIDs = [] }),
            ("maxInflightBlocks", { $0.maxInflightBlocks = 0 }),
            ("must hold at least one full batch", { $0.maxPendingEnvelopes = 10 }),
            ("electionTicks", { $0.electionTicks = 1 }),
            ("channel id is empty", { $0.channelID = "" }),
            ("tickInterval", { $0.tickInterval = .zero }),
            ("at most 1 GiB", { $0.batchLimits.absoluteMaxBytes = 2 << 30 }),
        ]
        for (reason, change) in cases {
            var configuration = base
            change(&configuration)
            do {
                try configuration.validate()
                Issue.record("expected a refusal mentioning '\(reason)'")
            } catch {
                #expect("\(error)".contains(reason), "\(error)")
            }
            #expect(throws: OrdererError.self) {
                _ = try OrderingNode(configuration: configuration, transport: LocalOrderingNetwork().transport(for: 1))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: base.directory))
    }
}
