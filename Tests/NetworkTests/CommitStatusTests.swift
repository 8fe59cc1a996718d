import Foundation
import Testing
import WeftClient
import WeftCore
import WeftProtocol

/// `commitStatus` on a real network (docs/wire.md): one call answers where a transaction was committed,
/// from a peer's ledger, with no block stream; a txID that never commits is a timeout after the time
/// asked for.
@Suite(.serialized) struct CommitStatusTests {
    @Test func aCommittedTransactionIsAnsweredFromTheLedgerAndAnUnknownTxIDTimesOut() async throws {
        try await LocalNetworkFixture.with(orderers: 1, orgs: 2) { network in
            let gateway = try network.gateway()
            defer { Task { await gateway.close() } }
            let result = try await gateway.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                                  arguments: ["status1", "blue", "1", "alice", "1"].map { Array($0.utf8) })
            #expect(result.code == .valid)
            let again = try await gateway.commitStatus(result.txID, until: .now + .seconds(5), timeout: .seconds(5))
            #expect(again.blockNumber == result.blockNumber && again.validationCode == .valid)

            let unknown = String(repeating: "ab", count: 32)
            let start = ContinuousClock.now
            do {
                _ = try await gateway.commitStatus(unknown, until: .now + .milliseconds(400), timeout: .milliseconds(400))
                Issue.record("an unknown txID got a status")
            } catch let error as GatewayError {
                guard case .commitTimeout(let txID, _) = error else { throw error }
                #expect(txID == unknown)
            }
            #expect(ContinuousClock.now - start >= .milliseconds(400))
        }
    }
}
