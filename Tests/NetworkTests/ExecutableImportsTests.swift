import Foundation
import Testing

/// The `weft` executable's own files (Sources/weft) import no module that only the benchmarks need:
/// those come in through WeftBench, and `weft bench` is one registration (issue 18, "Benchmarks out
/// of the product").
@Suite struct ExecutableImportsTests {
    /// Sources/weft, from this file's path (Tests/NetworkTests/…).
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/weft")

    /// Modules only benchmarks import directly; the product reaches them through WeftNode.
    static let benchOnly: Set<String> = ["Raft", "Orderer", "Committer", "Endorser", "AssetTransfer", "SmallBank", "LocalOrdering"]

    @Test func nonBenchFilesImportNoBenchOnlyModule() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 30, "Sources/weft not found at \(Self.folder.path)")
        for file in files {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
            let imported = text.split(separator: "\n").compactMap { line -> String? in
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count else { return nil }
                return String(words[index + 1])
            }
            let offending = Set(imported).intersection(Self.benchOnly)
            #expect(offending.isEmpty, "Sources/weft/\(file) imports \(offending.sorted()); benchmark code belongs in WeftBench")
        }
    }

    @Test func benchmarksLiveInWeftBench() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
        let bench = files.filter { $0.hasPrefix("Bench") || $0.contains("BenchRun") || $0.contains("BenchCluster") }
        #expect(bench == ["BenchCommand.swift"], "only the `weft bench` registration stays in Sources/weft: \(bench)")
    }

    /// Each target of Package.swift and the targets it depends on (its quoted names; products of other
    /// packages are spelled `.product(…)` and not counted).
    static func targetDependencies() throws -> [String: [String]] {
        let manifest = try String(contentsOf: folder.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Package.swift"), encoding: .utf8)
        var result: [String: [String]] = [:]
        let pattern = /\.(?:target|executableTarget|testTarget|systemLibrary)\(\s*name:\s*"([^"]+)"(?:,\s*dependencies:\s*\[([^\]]*)\])?/
        for match in manifest.matches(of: pattern) {
            let list = (match.2.map(String.init) ?? "").replacing(/\.product\([^)]*\)/, with: "")
            result[String(match.1)] = list.matches(of: /"([A-Za-z0-9]+)"/).map { String($0.1) }
        }
        return result
    }

    /// Every target `target` depends on, directly or not.
    static func closure(of target: String, in dependencies: [String: [String]]) -> Set<String> {
        var closure: Set<String> = []
        var pending = [target]
        while let next = pending.popLast() {
            for dependency in dependencies[next] ?? [] where closure.insert(dependency).inserted { pending.append(dependency) }
        }
        return closure
    }

    /// A client links no SQLite: the ledger's wire types and the connection profile are in
    /// WeftProtocol, not Ledger; and the nodes do not link the client (issue 18).
    @Test func theClientLibraryDoesNotLinkTheLedgerNorTheNodesTheClient() throws {
        let dependencies = try Self.targetDependencies()
        #expect(dependencies["WeftClient"]?.contains("WeftProtocol") == true, "\(dependencies["WeftClient"] ?? [])")
        let client = Self.closure(of: "WeftClient", in: dependencies)
        #expect(!client.contains("Ledger") && !client.contains("CSQLite"), "WeftClient depends on \(client.sorted())")
        let node = Self.closure(of: "WeftNode", in: dependencies)
        #expect(node.contains("Ledger") && !node.contains("WeftClient"), "WeftNode depends on \(node.sorted())")
    }
}
