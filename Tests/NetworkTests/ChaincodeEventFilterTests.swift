import Testing
import WeftCore
import WeftProtocol

/// What a `chaincodeEvents` stream sends of a block: the valid transactions that set an event of the
/// chaincode asked for, and nothing for a block without any.
@Suite struct ChaincodeEventFilterTests {
    @Test func onlyValidTransactionsWithTheChaincodesEventsPass() throws {
        let event = { (chaincode: String) in ChaincodeEvent(chaincode: chaincode, name: "E", payload: [1]) }
        let block = BlockEvents(blockNumber: 7, transactions: [
            .init(txID: "a", txNumber: 0, code: .valid, chaincodeEvent: event("cc")),
            .init(txID: "b", txNumber: 1, code: .mvccReadConflict, chaincodeEvent: event("cc")),
            .init(txID: "c", txNumber: 2, code: .valid, chaincodeEvent: event("other")),
            .init(txID: "d", txNumber: 3, code: .valid, chaincodeEvent: nil),
            .init(txID: "e", txNumber: 4, code: .valid, chaincodeEvent: event("cc")),
        ], commitHash: [9])
        let filtered = try #require(block.filtered(toEventsOf: "cc"))
        #expect(filtered.transactions.map(\.txID) == ["a", "e"])
        #expect(filtered.blockNumber == 7 && filtered.commitHash == [9])
        #expect(block.filtered(toEventsOf: "none") == nil)
        // The request round-trips, and a truncated one names its field.
        let request = ChaincodeEventsRequest(chaincode: "cc", start: 5)
        #expect(try ChaincodeEventsRequest(canonicalBytes: request.canonicalBytes) == request)
        #expect(throws: DecodingError.self) { try ChaincodeEventsRequest(canonicalBytes: Array(request.canonicalBytes.dropLast(3))) }
    }
}
