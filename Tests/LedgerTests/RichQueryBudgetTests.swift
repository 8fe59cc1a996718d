import Foundation
import LedgerTestSupport
import Testing
import WeftCore
@testable import Ledger

/// A rich query that scans for longer than its budget is stopped with a clear error, and the same
/// connection serves the next query normally.
@Suite struct RichQueryBudgetTests {
    @Test func aScanPastItsBudgetIsStoppedAndTheLedgerKeepsServing() throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.path())
        var builder = BlockBuilder()
        let writes = (0..<20_000).map { index in
            ("k\(index)", Optional(#"{"owner":"owner\#(index % 97)","size":\#(index)}"#))
        }
        let (block, transactions) = builder.next([BlockBuilder.tx("load", writes, namespace: "assets")])
        try ledger.commit(block, transactions: transactions)
        let snapshot = try ledger.snapshot()
        defer {
            snapshot.close()
            ledger.close()
        }
        let scan = try RichQuery(json: #"{"selector":{"size":{"$gt":-1}},"sort":[{"size":"desc"}]}"#)
        do {
            _ = try snapshot.richQuery(namespace: "assets", scan, budgetSeconds: 0)
            Issue.record("a query with no budget left ran to the end")
        } catch {
            #expect(error.description.contains("ran longer than its budget of 0.0 s"), "\(error)")
        }
        let answered = try snapshot.richQuery(namespace: "assets", try RichQuery(json: #"{"selector":{"owner":"owner5"},"limit":3}"#))
        #expect(answered.count == 3)
        #expect(try snapshot.richQuery(namespace: "assets", scan).count == min(20_000, snapshot.maxPageSize))
    }
}
