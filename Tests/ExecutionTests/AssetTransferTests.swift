import AssetTransfer
import Execution
import Foundation
import Testing
import WeftCore

@Suite struct AssetTransferTests {
    let chaincode = AssetTransfer()

    func call(_ function: String, _ arguments: [String] = [], on state: inout InMemoryState) throws -> ChaincodeResponse {
        try Fixtures.call(chaincode, named: AssetTransfer.name, function, arguments, on: &state)
    }

    @Test func createReadUpdateTransferDelete() throws {
        var state = InMemoryState()
        let created = try call("CreateAsset", ["asset9", "blue", "5", "alice", "300"], on: &state)
        #expect(created.isSuccess)
        #expect(created.text == #"{"AppraisedValue":300,"Color":"blue","ID":"asset9","Owner":"alice","Size":5}"#)
        #expect(try call("ReadAsset", ["asset9"], on: &state).text == created.text)
        #expect(try call("AssetExists", ["asset9"], on: &state).text == "true")
        #expect(try call("UpdateAsset", ["asset9", "red", "6", "alice", "350"], on: &state).isSuccess)
        #expect(try call("TransferAsset", ["asset9", "bob"], on: &state).text == "alice")
        #expect(try call("ReadAsset", ["asset9"], on: &state).text.contains(#""Owner":"bob""#))
        #expect(try call("DeleteAsset", ["asset9"], on: &state).isSuccess)
        #expect(try call("AssetExists", ["asset9"], on: &state).text == "false")
    }

    @Test func errorCasesHaveClearMessages() throws {
        var state = InMemoryState()
        _ = try call("CreateAsset", ["a1", "blue", "5", "alice", "300"], on: &state)
        let duplicate = try call("CreateAsset", ["a1", "blue", "5", "alice", "300"], on: &state)
        #expect(duplicate.status == 409 && duplicate.message == "the asset a1 already exists")
        let missing = try call("ReadAsset", ["nope"], on: &state)
        #expect(missing.status == 404 && missing.message == "the asset nope does not exist")
        #expect(try call("TransferAsset", ["nope", "bob"], on: &state).message == "the asset nope does not exist")
        #expect(try call("UpdateAsset", ["nope", "red", "1", "x", "1"], on: &state).status == 404)
        #expect(try call("DeleteAsset", ["nope"], on: &state).status == 404)
        let badSize = try call("CreateAsset", ["a2", "blue", "five", "alice", "300"], on: &state)
        #expect(badSize.status == 400 && badSize.message.contains("size") && badSize.message.contains("five"))
        let tooFew = try call("CreateAsset", ["a2"], on: &state)
        #expect(tooFew.status == 400 && tooFew.message.contains("takes 5 arguments"))
        let unknown = try call("Steal", [], on: &state)
        #expect(unknown.status == 400 && unknown.message.contains("no function \"Steal\""))
    }

    @Test func initLedgerGetAllAndQueryByOwner() throws {
        var state = InMemoryState()
        #expect(try call("InitLedger", on: &state).isSuccess)
        let all = try call("GetAllAssets", on: &state)
        #expect(all.text.components(separatedBy: "\"ID\"").count - 1 == 6)
        let brads = try call("QueryAssetsByOwner", ["Brad"], on: &state)
        #expect(brads.text.contains(#""ID":"asset2""#) && !brads.text.contains("asset1"))
    }

    @Test func historyListsEveryChangeNewestFirst() throws {
        var state = InMemoryState()
        _ = try call("CreateAsset", ["h1", "blue", "5", "alice", "300"], on: &state)
        _ = try call("TransferAsset", ["h1", "bob"], on: &state)
        _ = try call("DeleteAsset", ["h1"], on: &state)
        let history = try call("GetAssetHistory", ["h1"], on: &state).text
        let deleteAt = try #require(history.range(of: #""isDelete":true"#))
        let bobAt = try #require(history.range(of: #""Owner":"bob""#))
        #expect(deleteAt.lowerBound < bobAt.lowerBound)
    }

    @Test func transferEmitsEventAndRecordsReadAndWrite() throws {
        var state = InMemoryState()
        _ = try call("CreateAsset", ["t1", "blue", "5", "alice", "300"], on: &state)
        let registry = ChaincodeRegistry([InstalledChaincode(name: AssetTransfer.name, chaincode: chaincode, endorsementPolicy: "ANY peer")])
        let simulation = try Simulator(registry: registry).simulate(
            Fixtures.proposal(AssetTransfer.name, "TransferAsset", ["t1", "bob"]), proposalHash: [], on: state)
        #expect(simulation.payload.event?.name == "TransferAsset")
        #expect(simulation.payload.readWriteSet.reads == [KVRead(namespace: "asset-transfer", key: "t1", version: Version(blockNumber: 0, txNumber: 0))])
        #expect(simulation.payload.readWriteSet.writes.map(\.key) == ["t1"])
    }
}
