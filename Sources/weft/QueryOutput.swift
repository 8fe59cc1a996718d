#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import WeftCore
import WeftCommandLine

/// JSON shapes of query results (docs/CLI.md field names) and their text forms.
enum QueryOutput {
    struct Info: Encodable {
        var height: UInt64
        var currentHash: String
        var commitHash: String
    }

    /// A state entry: `value` as text when it is UTF-8 (absent otherwise); `valueHex` always, exactly.
    struct Entry: Encodable {
        var key: String
        var value: String?
        var valueHex: String
        var blockNumber: UInt64
        var txNumber: UInt32

        /// The value for a line of text: itself when UTF-8, else `0x` and hex.
        var printable: String { value ?? "0x" + valueHex }
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
        /// The value written, as text when it is UTF-8; `valueHex` always, exactly.
        var value: String?
        var valueHex: String?
    }

    struct History: Encodable {
        var changes: [Change]
        var bookmark: String
        /// The first block whose key history the peer keeps when older changes of the key were pruned
        /// (null otherwise): the history shown stops there.
        var prunedBelow: UInt64?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(changes, forKey: .changes)
            try container.encode(bookmark, forKey: .bookmark)
            try container.encode(prunedBelow, forKey: .prunedBelow)
        }

        private enum CodingKeys: String, CodingKey { case changes, bookmark, prunedBelow }
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

    /// `bytes` as text when they are UTF-8; nil otherwise (JSON then carries only the hex).
    static func text(_ bytes: [UInt8]) -> String? { String(validating: bytes, as: UTF8.self) }

    static func entry(_ entry: StateEntry) -> Entry {
        Entry(key: entry.key, value: text(entry.value), valueHex: Hex.encode(entry.value),
              blockNumber: entry.version.blockNumber, txNumber: entry.version.txNumber)
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
