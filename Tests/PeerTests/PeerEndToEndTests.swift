import AssetTransfer
import Committer
import Foundation
import Ledger
import PeerTestSupport
import Testing
import WeftCore

@Suite struct PeerEndToEndTests {
    /// A client proposes, Org1 and Org2 endorse, a test block former cuts blocks, both peers commit:
    /// both end with the same block hashes and commit hashes.
    @Test func twoPeersCommitIdenticalLedgers() async throws {
        var harness = try PeerHarness()
        var envelopes: [[UInt8]] = []
        for index in 0..<20 {
            envelopes.append(try harness.endorse(AssetTransfer.name, "CreateAsset", ["asset\(index)", "blue", "5", "alice", "100"]))
        }
        let first = try await harness.commit(envelopes)
        #expect(first.transactions.allSatisfy { $0.code == .valid })
        #expect(first.transactions[0].chaincodeEvent?.name == "CreateAsset")

        let transfers = try (0..<20).map { index in
            try harness.endorse(AssetTransfer.name, "TransferAsset", ["asset\(index)", "bob"], client: harness.client("Org2"))
        }
        let second = try await harness.commit(transfers)
        #expect(second.transactions.allSatisfy { $0.code == .valid })

        let infos = harness.peers.map { $0.ledger.chainInfo }
        #expect(infos[0].height == 2)
        #expect(infos[0] == infos[1], "both peers have the same height, block hash and commit hash")
        for number in UInt64(0)..<2 {
            let hashes = try harness.peers.map { peer in try peer.ledger.read { try $0.block(number: number)?.header.hash } }
            #expect(hashes[0] != nil && hashes[0] == hashes[1])
        }
        let owner = try harness.peers[1].ledger.read { try $0.value(namespace: AssetTransfer.name, key: "asset7") }
        let text = String(decoding: owner?.value ?? [], as: UTF8.self)
        #expect(text.contains(#""Owner":"bob""#))
    }

    @Test func blocksArriveOutOfOrderAreBufferedAndDuplicatesIgnored() async throws {
        var harness = try PeerHarness()
        let a = try harness.former.block([try harness.endorse(AssetTransfer.name, "CreateAsset", ["x1", "red", "1", "al", "1"])])
        let b = try harness.former.block([try harness.endorse(AssetTransfer.name, "CreateAsset", ["x2", "red", "1", "al", "1"])])
        let committer = harness.peers[0].committer
        #expect(try await committer.receive(b).isEmpty)
        #expect(try await committer.receive(a).map(\.blockNumber) == [0, 1])
        #expect(try await committer.receive(a).isEmpty)
        #expect(await committer.height == 2)
    }

    @Test func eventsReplayCommittedBlocksThenStreamNewOnes() async throws {
        var harness = try PeerHarness()
        try await harness.commit([try harness.endorse(AssetTransfer.name, "CreateAsset", ["e1", "red", "1", "al", "1"])])
        let stream = harness.peers[0].committer.events(from: 0)
        var iterator = stream.makeAsyncIterator()
        let replayed = try await iterator.next()
        #expect(replayed?.blockNumber == 0 && replayed?.transactions.first?.code == .valid)
        #expect(replayed?.transactions.first?.chaincodeEvent?.name == "CreateAsset")
        try await harness.commit([try harness.endorse(AssetTransfer.name, "TransferAsset", ["e1", "zoe"])])
        let live = try await iterator.next()
        #expect(live?.blockNumber == 1 && live?.transactions.first?.chaincodeEvent?.name == "TransferAsset")
    }

    @Test func badOrdererSignatureRefusesTheBlock() async throws {
        var harness = try PeerHarness()
        var block = try harness.former.block([])
        block.metadata.ordererSignatures[0].signature[8] ^= 0xff
        await #expect(throws: CommitterError.self) { try await harness.peers[0].committer.receive(block) }
        var unsigned = block
        unsigned.metadata.ordererSignatures = []
        await #expect(throws: CommitterError.self) { try await harness.peers[0].committer.receive(unsigned) }
        #expect(await harness.peers[0].committer.height == 0)
    }

    @Test func richQueryChaincodeRunsOnTheSQLiteLedger() async throws {
        var harness = try PeerHarness()
        try await harness.commit([
            try harness.endorse(AssetTransfer.name, "CreateAsset", ["r1", "red", "1", "alice", "1"]),
            try harness.endorse(AssetTransfer.name, "CreateAsset", ["r2", "red", "1", "bob", "1"]),
        ])
        let proposal = try harness.client().proposal(chaincode: AssetTransfer.name, function: "QueryAssetsByOwner", ["bob"])
        let response = harness.peers[0].endorser.evaluate(proposal)
        #expect(response.status == 200, "\(response.message)")
        let payload = try response.payload().response.payload
        let text = String(decoding: payload, as: UTF8.self)
        #expect(text.contains(#""ID":"r2""#) && !text.contains(#""ID":"r1""#))
    }
}
