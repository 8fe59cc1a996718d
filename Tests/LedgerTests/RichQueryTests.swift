import Foundation
import Testing
import WeftCore
import LedgerTestSupport
@testable import Ledger

@Suite struct RichQueryTests {
    static let documents: [(String, String)] = [
        ("m1", #"{"owner":"alice","size":5,"color":"red","tags":["a"],"meta":{"origin":"eu","rank":3}}"#),
        ("m2", #"{"owner":"alice","size":15,"color":"blue","meta":{"origin":"us","rank":1}}"#),
        ("m3", #"{"owner":"bob","size":25,"color":"red","flag":true}"#),
        ("m4", #"{"owner":"carol","size":12.5,"flag":false,"note":null}"#),
        ("m5", #"{"owner":"alice","size":"15"}"#),
        ("m6", #"{"owner":"o'brien; DROP TABLE state; --","size":1}"#),
        ("x1", "not json at all"),
        ("x2", #"[1,2,3]"#),
        ("x3", #"{"broken": "#),
    ]

    static func snapshot(_ directory: TemporaryDirectory) throws -> LedgerSnapshot {
        let ledger = try Ledger.open(path: directory.path())
        var builder = BlockBuilder()
        let (block, transactions) = builder.next([BlockBuilder.tx("load", documents.map { ($0.0, Optional($0.1)) }, namespace: "assets")])
        try ledger.commit(block, transactions: transactions)
        return try ledger.snapshot()
    }

    func keys(_ snapshot: LedgerSnapshot, _ selector: String, sort: [RichQuery.SortField] = [], limit: Int? = nil) throws -> [String] {
        try snapshot.richQuery(namespace: "assets", RichQuery(selector: selector, sort: sort, limit: limit)).map(\.key)
    }

    @Test func operators() throws {
        let directory = TemporaryDirectory()
        let snapshot = try Self.snapshot(directory)
        #expect(try keys(snapshot, #"{"owner":"alice","size":{"$gt":10}}"#) == ["m2"])
        #expect(try keys(snapshot, #"{"size":{"$gte":15,"$lte":25}}"#) == ["m2", "m3"])
        #expect(try keys(snapshot, #"{"size":{"$lt":12.5}}"#) == ["m1", "m6"])
        #expect(try keys(snapshot, #"{"size":{"$eq":"15"}}"#) == ["m5"])
        #expect(try keys(snapshot, #"{"size":15}"#) == ["m2"])
        #expect(try keys(snapshot, #"{"owner":{"$ne":"alice"}}"#) == ["m3", "m4", "m6"])
        #expect(try keys(snapshot, #"{"color":{"$in":["red","green"]}}"#) == ["m1", "m3"])
        #expect(try keys(snapshot, #"{"color":{"$nin":["red"]}}"#) == ["m2"])
        #expect(try keys(snapshot, #"{"flag":{"$exists":true}}"#) == ["m3", "m4"])
        #expect(try keys(snapshot, #"{"flag":true}"#) == ["m3"])
        #expect(try keys(snapshot, #"{"flag":false}"#) == ["m4"])
        #expect(try keys(snapshot, #"{"note":null}"#) == ["m4"])
        #expect(try keys(snapshot, #"{"meta.origin":"us"}"#) == ["m2"])
        #expect(try keys(snapshot, #"{"meta":{"rank":{"$gt":2}}}"#) == ["m1"])
        #expect(try keys(snapshot, #"{"$or":[{"owner":"bob"},{"size":{"$lt":2}}]}"#) == ["m3", "m6"])
        #expect(try keys(snapshot, #"{"$and":[{"owner":"alice"},{"$not":{"color":"red"}}]}"#) == ["m2", "m5"])
        #expect(try keys(snapshot, #"{"owner":{"$not":{"$in":["alice","bob"]}}}"#) == ["m4", "m6"])
        // The empty selector matches every JSON object and never the other values.
        #expect(try keys(snapshot, "{}") == ["m1", "m2", "m3", "m4", "m5", "m6"])
    }

    @Test func sortAndLimit() throws {
        let directory = TemporaryDirectory()
        let snapshot = try Self.snapshot(directory)
        #expect(try keys(snapshot, #"{"size":{"$gt":0}}"#, sort: [.init(field: "size", descending: true)]) == ["m3", "m2", "m4", "m1", "m6"])
        #expect(try keys(snapshot, #"{"owner":"alice"}"#, sort: [.init(field: "meta.rank")], limit: 2) == ["m5", "m2"])
        let query = try RichQuery(json: #"{"selector":{"owner":"alice"},"sort":[{"size":"desc"}],"limit":1}"#)
        #expect(try snapshot.richQuery(namespace: "assets", query).map(\.key) == ["m5"])
        // An oversized limit is capped at the page maximum.
        #expect(try keys(snapshot, "{}", limit: Int.max).count == 6)
        let entries = try snapshot.richQuery(namespace: "assets", json: #"{"selector":{"owner":"bob"}}"#)
        #expect(entries.first?.version == Version(blockNumber: 0, txNumber: 0))
    }

    @Test func injectionAttemptsAreLiteralValuesOrRefused() throws {
        let directory = TemporaryDirectory()
        let snapshot = try Self.snapshot(directory)
        // Quotes, semicolons and comments inside values are plain data: they match exactly, or nothing.
        #expect(try keys(snapshot, #"{"owner":"o'brien; DROP TABLE state; --"}"#) == ["m6"])
        #expect(try keys(snapshot, #"{"owner":"alice' OR '1'='1"}"#).isEmpty)
        #expect(try keys(snapshot, #"{"owner":{"$in":["x\") OR 1=1 --","*/ OR 1 /*"]}}"#).isEmpty)
        // Field names outside the strict charset are refused.
        for field in ["owner') OR 1=1 --", "owner\"", "a;b", "a b", "a/*c*/", "$.owner", "", "a..b", "size'"] {
            let selector = "{\(Self.jsonString(field)):1}"
            #expect(throws: LedgerError.self, "\(field)") { try keys(snapshot, selector) }
        }
        // Unknown operators and operators in the wrong place are refused with their name.
        #expect(throws: LedgerError.invalidQuery("unknown operator \"$where\"")) { try keys(snapshot, #"{"$where":"1=1"}"#) }
        #expect(throws: LedgerError.invalidQuery("unknown operator \"$regex\"")) { try keys(snapshot, #"{"owner":{"$regex":".*"}}"#) }
        #expect(throws: LedgerError.self) { try keys(snapshot, #"{"size":{"$gt":10,"x":1}}"#) }
        #expect(throws: LedgerError.self) { try keys(snapshot, #"{"size":{"$gt":true}}"#) }
        #expect(throws: LedgerError.self) { try keys(snapshot, #"{"size":[1]}"#) }
        #expect(throws: LedgerError.self) { try keys(snapshot, #"{"$or":[]}"#) }
        #expect(throws: LedgerError.self) { try keys(snapshot, #"{"owner":"a","owner":"b"}"#) }
        #expect(throws: LedgerError.self) { try keys(snapshot, #"{"owner":"alice"} ; DROP TABLE state"#) }
        #expect(throws: LedgerError.self) { try keys(snapshot, "[]") }
        #expect(throws: LedgerError.self) { try RichQuery(json: #"{"selector":{},"sort":[{"size":"sideways"}]}"#) }
        #expect(throws: LedgerError.self) { try RichQuery(json: #"{"selector":{},"sort":["size; DROP"]}"#) }
        #expect(throws: LedgerError.self) { try RichQuery(json: #"{"selector":{},"limit":0}"#) }
        #expect(throws: LedgerError.self) { try RichQuery(json: #"{"selector":{},"fields":["a"]}"#) }
        // The state table is intact.
        #expect(try keys(snapshot, "{}").count == 6)
    }

    @Test func deepNestingIsRefusedBeforeItCanHurt() throws {
        let directory = TemporaryDirectory()
        let snapshot = try Self.snapshot(directory)
        func nested(_ levels: Int) -> String {
            String(repeating: #"{"$not":"#, count: levels) + #"{"owner":"bob"}"# + String(repeating: "}", count: levels)
        }
        #expect(try keys(snapshot, nested(2)) == ["m3"])
        #expect(throws: LedgerError.invalidQuery("the selector nests deeper than 32 levels")) { try keys(snapshot, nested(40)) }
        // Far deeper input is stopped by the JSON parser's own limit, without recursion trouble.
        let hostile = String(repeating: "[", count: 100_000)
        #expect(throws: LedgerError.self) { try keys(snapshot, hostile) }
        let wide = "{" + (0..<300).map { "\"f\($0)\":1" }.joined(separator: ",") + "}"
        #expect(throws: LedgerError.invalidQuery("the selector has more than 256 conditions")) { try keys(snapshot, wide) }
    }

    static func jsonString(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }
}
