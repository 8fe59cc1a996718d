#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import WeftCore

/// JSON shapes of query results (docs/CLI.md field names) and their text forms.
enum QueryOutput {
    struct Info: Encodable {
        var height: UInt64
        var currentHash: String
        var commitHash: String
    }

    struct Entry: Encodable {
        var key: String
        var value: String
        var blockNumber: UInt64
        var txNumber: UInt32
    }

    struct Page: Encodable {
        var entries: [Entry]
        var bookmark: String
    }

    struct Change: Encodable {
        var txID: String
        var blockNumber: UInt64
        var txNumber: UInt32
        var isDelete: Bool
        var value: String?
    }

    struct History: Encodable {
        var changes: [Change]
        var bookmark: String
    }

    struct TransactionInfo: Encodable {
        var txID: String
        var blockNumber: UInt64
        var txNumber: UInt32
        var validationCode: String
        var envelopeBytes: Int
    }

    struct BlockInfo: Encodable {
        var blockNumber: UInt64
        var currentHash: String
        var previousHash: String
        var dataHash: String
        var commitHash: String
        var transactions: [TransactionSummary]
    }

    struct TransactionSummary: Encodable {
        var txID: String
        var txNumber: Int
        var validationCode: String
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func entry(_ entry: StateEntry) -> Entry {
        Entry(key: entry.key, value: text(entry.value), blockNumber: entry.version.blockNumber, txNumber: entry.version.txNumber)
    }

    /// Prints `value` as JSON, or `lines` as text.
    static func emit(_ value: some Encodable, json: Bool, lines: @autoclosure () -> [String]) throws {
        if json {
            try JSONOutput.print(value)
        } else {
            for line in lines() { print(line) }
        }
    }
}
