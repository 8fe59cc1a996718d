import EVM
import Execution
import Foundation
import PeerTestSupport
import Testing
import WeftClient
import WeftCore

/// The `evm` chaincode end to end: two endorsing peers under AND(Org1, Org2), a block former, two
/// committers over SQLite ledgers.
@Suite struct EVMPeerTests {
    static let tokenConstructor = "(string,string,uint8,uint256)"

    /// Deploys the Vyper token from Org1's client, commits it, and returns the harness, the token and
    /// the two clients' addresses.
    static func deployedToken() async throws -> (PeerHarness, Address, alice: Address, bob: Address) {
        var harness = try PeerHarness()
        let alice = try EVMChaincode.address(ofCertificate: harness.network.clients["Org1"]!.serialized.certificate)
        let bob = try EVMChaincode.address(ofCertificate: harness.network.clients["Org2"]!.serialized.certificate)
        let arguments = try EVMChaincode.deployArguments(initCode: try Contracts.code("Token"), constructorTypes: tokenConstructor,
                                                         arguments: ["Weft", "WFT", "18", "1000"])
        let events = try await harness.commit([try harness.endorse(EVMChaincode.name, "deploy", arguments)])
        #expect(events.transactions.map(\.code) == [.valid])
        let token = Address.created(by: alice, nonce: 0)
        let mint = try EVMReceipt(event: try #require(events.transactions[0].chaincodeEvent)).logs
        #expect(mint.count == 1 && mint[0].address == token && mint[0].topics.last == alice.word)
        return (harness, token, alice, bob)
    }

    static func balance(_ harness: PeerHarness, _ token: Address, _ owner: Address) throws -> String {
        let response = try harness.evaluate(EVMChaincode.name, "call", try EVMChaincode.callArguments(
            contract: token.description, signature: "balanceOf(address)", arguments: [owner.description]))
        #expect(response.isSuccess, "\(response.message)")
        return try EVMChaincode.decodeResult(response.payload, returnTypes: "(uint256)").first ?? ""
    }

    static func transfer(_ token: Address, to: Address, _ amount: String) throws -> [String] {
        try EVMChaincode.callArguments(contract: token.description, signature: "transfer(address,uint256)",
                                       arguments: [to.description, amount])
    }

    @Test func deployTransferAndQueryOnTwoPeers() async throws {
        let (deployed, token, alice, bob) = try await Self.deployedToken()
        var harness = deployed
        let events = try await harness.commit([try harness.endorse(EVMChaincode.name, "call", try Self.transfer(token, to: bob, "300"))])
        #expect(events.transactions.map(\.code) == [.valid])
        let event = try #require(events.transactions[0].chaincodeEvent)
        #expect(event.chaincode == EVMChaincode.name && event.name == EVMReceipt.eventName)
        let logs = try EVMReceipt(event: event).logs
        #expect(logs.count == 1 && logs[0].topics.dropFirst() == [alice.word, bob.word] && logs[0].data == UInt256(300).bigEndianBytes)

        let height = harness.peers[0].ledger.chainInfo.height
        #expect(try Self.balance(harness, token, bob) == "300")
        #expect(try Self.balance(harness, token, alice) == "700")
        #expect(harness.peers[0].ledger.chainInfo.height == height, "evaluation commits nothing")
        let infos = harness.peers.map { $0.ledger.chainInfo }
        #expect(infos[0] == infos[1], "both peers hold the same blocks and commit hash")
        let stored = try harness.peers[1].ledger.read { try $0.value(namespace: EVMStateLayout.namespace(of: token), key: "account") }
        #expect(try EVMStateLayout.decodeAccount(try #require(stored).value).nonce == 1)
    }

    @Test func aTransferOverTheBalanceIsNotEndorsed() async throws {
        let (harness, token, _, bob) = try await Self.deployedToken()
        let arguments = try Self.transfer(token, to: bob, "1001")
        let evaluated = try harness.evaluate(EVMChaincode.name, "call", arguments)
        #expect(evaluated.status == 500 && evaluated.message == "reverted: insufficient balance")
        #expect(throws: EndorsementError.refused(index: 0, status: 500, message: "reverted: insufficient balance")) {
            try harness.endorse(EVMChaincode.name, "call", arguments)
        }
    }

    /// Two transfers from one account endorsed on the same state: the second in the block read a balance
    /// the first changed.
    @Test func concurrentTransfersFromOneAccountConflict() async throws {
        let (deployed, token, alice, bob) = try await Self.deployedToken()
        var harness = deployed
        let first = try harness.endorse(EVMChaincode.name, "call", try Self.transfer(token, to: bob, "10"))
        let second = try harness.endorse(EVMChaincode.name, "call", try Self.transfer(token, to: bob, "20"))
        let events = try await harness.commit([first, second])
        #expect(events.transactions.map(\.code) == [.valid, .mvccReadConflict])
        #expect(events.transactions[1].chaincodeEvent == nil)
        #expect(try Self.balance(harness, token, bob) == "10")
        #expect(try Self.balance(harness, token, alice) == "990")
    }

    @Test func contractsSeeTheSubmitterHeightAndBlockHash() async throws {
        var harness = try PeerHarness()
        let runtime = Hex.decode("435f52" + "42602052" + "46604052" + "33606052" + "32608052" + "600143034060a052" + "60c05ff3")!
        try await harness.commit([try harness.endorse(EVMChaincode.name, "deploy", ["0x" + Hex.encode(Contracts.deploying(runtime))])])
        try await harness.commit([])
        let org1 = try EVMChaincode.address(ofCertificate: harness.network.clients["Org1"]!.serialized.certificate)
        let contract = Address.created(by: org1, nonce: 0)
        let response = try harness.evaluate(EVMChaincode.name, "call", [contract.description, ""], client: harness.client("Org2"),
                                            timestamp: Date(timeIntervalSince1970: 1_800_000_000.75))
        #expect(response.isSuccess, "\(response.message)")
        let org2 = try EVMChaincode.address(ofCertificate: harness.network.clients["Org2"]!.serialized.certificate)
        let previous = try harness.peers[0].ledger.read { try $0.block(number: 1)?.header.hash }
        #expect(try EVMChaincode.decodeResult(response.payload, returnTypes: "(uint256,uint256,uint256,address,address,bytes32)") == [
            "2", "1800000000", ExecutionContext.chainID(forChannel: PeerHarness.channel).decimalString,
            org2.description, org2.description, "0x" + Hex.encode(try #require(previous)),
        ])
    }
}
