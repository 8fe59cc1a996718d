import EVM
import Foundation
import WeftCore
import WeftTestSupport

/// Reading the loosely typed JSON of Ethereum's test files.
enum ConformanceJSON {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func object(_ value: Any?, _ what: String) throws -> [String: Any] {
        guard let object = value as? [String: Any] else { throw Malformed(description: "\(what) is not an object") }
        return object
    }

    static func string(_ value: Any?, _ what: String) throws -> String {
        guard let text = value as? String else { throw Malformed(description: "\(what) is not a string") }
        return text
    }

    static func word(_ value: Any?, _ what: String) throws -> UInt256 {
        let text = try string(value, what)
        guard let word = UInt256(hex: text) else { throw Malformed(description: "\(what) is not a word: \(text)") }
        return word
    }

    static func int(_ value: Any?, _ what: String) throws -> Int {
        let word = try word(value, what)
        guard let int = word.clamped(to: Int.max) else { throw Malformed(description: "\(what) too large") }
        return int
    }

    static func bytes(_ value: Any?, _ what: String) throws -> [UInt8] {
        let text = try string(value, what)
        guard let bytes = Hex.decode(text) else { throw Malformed(description: "\(what) is not hex") }
        return bytes
    }

    static func address(_ value: Any?, _ what: String) throws -> Address {
        let text = try string(value, what)
        guard let word = UInt256(hex: text), text.count <= 42 else { throw Malformed(description: "\(what) is not an address") }
        return Address(word: word)
    }

    /// Fills `state` from a `pre` section: balance, nonce, code and storage of each account.
    static func load(pre: [String: Any], into state: InMemoryWorldState) throws {
        for (key, value) in pre {
            let address = try address(key, "pre address")
            let account = try object(value, "pre \(key)")
            state.setAccount(
                Account(nonce: UInt64(try int(account["nonce"], "nonce")), balance: try word(account["balance"], "balance"),
                        code: try bytes(account["code"], "code")),
                at: address)
            for (slot, slotValue) in try object(account["storage"], "storage") {
                state.setStorage(address, key: try word(slot, "slot"), value: try word(slotValue, "slot value"))
            }
        }
    }

    /// Every `.json` file under `folder` (relative to the vectors root), sorted.
    static func files(under folder: String) throws -> [URL] {
        let root = Vectors.url(folder)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw Malformed(description: "no folder \(root.path)")
        }
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }
    }
}
