import Ledger
import Testing
import WeftCore

@Suite struct LedgerQueryCodecTests {
    @Test func everyQueryRoundTrips() throws {
        let queries: [LedgerQuery] = [
            .info, .block(9), .blockByHash([1, 2]), .transaction("tx"), .state(namespace: "n", key: "k"),
            .range(namespace: "n", start: "a", end: "z", pageSize: 10, bookmark: "b"),
            .history(namespace: "n", key: "k", newestFirst: true, pageSize: 5, bookmark: ""),
            .rich(namespace: "n", selector: #"{"a":1}"#), .proof("tx"),
        ]
        for query in queries { #expect(try LedgerQuery(canonicalBytes: query.canonicalBytes) == query) }
        #expect(throws: DecodingError.self) { try LedgerQuery(canonicalBytes: [42]) }
    }

    @Test func resultsRoundTrip() throws {
        let version = Version(blockNumber: 1, txNumber: 0)
        let results: [LedgerQueryResult] = [
            .info(ChainInfo(height: 3, currentBlockHash: [1], commitHash: [2])),
            .block(nil), .transaction(nil), .value(VersionedValue(value: [1], version: version)),
            .entries([StateEntry(key: "k", value: [2], version: version)], bookmark: "next"),
            .history([KeyModification(txID: "t", version: version, value: nil)], bookmark: ""), .proof(nil),
            .history([KeyModification(txID: "t", version: version, value: [3])], bookmark: "", prunedBelow: 200),
        ]
        for result in results { #expect(try LedgerQueryResult(canonicalBytes: result.canonicalBytes) == result) }
    }

    /// A history with nothing pruned keeps tag 5, as earlier builds send it; a pruned one is tag 7 and
    /// carries the boundary after the bookmark.
    @Test func prunedHistoryCarriesItsBoundary() throws {
        let plain = LedgerQueryResult.history([], bookmark: "").canonicalBytes
        #expect(plain == [5, 0, 0, 0, 0, 0, 0, 0, 0])
        let pruned = LedgerQueryResult.history([], bookmark: "", prunedBelow: 258).canonicalBytes
        #expect(pruned == [7, 0, 0, 0, 0, 0, 0, 0, 0] + [0, 0, 0, 0, 0, 0, 1, 2])
    }
}
