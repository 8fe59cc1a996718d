import Foundation
import Testing

/// What a transaction did, exactly, as the CLI reports it: `tx submit --json` carries the chaincode
/// event, `evm call --json` the logs (topics and data in hex), `--calldata` calls with raw input, and
/// binary payloads travel as hex, never as lossy text.
@Suite(.serialized) struct TransactionOutputTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func eventsLogsCalldataAndBinaryValuesAreExact() async throws {
        try await LocalNetworkFixture.with { network in
            let submit = try await WeftProcess.run(["tx", "submit", "--dir", network.dir, "--chaincode", "asset-transfer",
                                                    "--function", "CreateAsset", "--args", "o1", "blue", "5", "alice", "300", "--json"])
            #expect(submit.status == 0, "\(submit.stderr)")
            let submitted = try Self.json(submit.stdout)
            let event = try #require(submitted["event"] as? [String: Any])
            #expect(event["chaincode"] as? String == "asset-transfer" && event["name"] as? String == "CreateAsset")
            #expect((submitted["payloadHex"] as? String)?.hasPrefix("7b22") == true)   // {"…

            let bytecode = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Chaincode/evm/Token.bin").path
            let deploy = try await WeftProcess.run(["evm", "deploy", "--dir", network.dir, "--bytecode", bytecode, "--constructor",
                                                    "(string,string,uint8,uint256)", "--args", "Weft", "WFT", "18", "1000000", "--json"])
            #expect(deploy.status == 0, "\(deploy.stderr)")
            let deployed = try Self.json(deploy.stdout)
            let contract = try #require(deployed["address"] as? String)
            #expect((deployed["gasUsed"] as? Int ?? 0) > 53_000, "a creation's intrinsic gas is 53,000")
            let call = try await WeftProcess.run(["evm", "call", "--dir", network.dir, "--contract", contract, "--function", "transfer(address,uint256)",
                                                  "--args", "0x00000000000000000000000000000000000000aa", "200", "--returns", "(bool)", "--json"])
            #expect(call.status == 0, "\(call.stderr)")
            let called = try Self.json(call.stdout)
            #expect(called["values"] as? [String] == ["true"] && called["validationCode"] as? String == "VALID")
            let logs = try #require(called["logs"] as? [[String: Any]])
            #expect(logs.count == 1)
            // A transfer: 21,000 intrinsic plus calldata and two balance writes, well under the gas limit.
            let gasUsed = try #require(called["gasUsed"] as? Int)
            #expect(gasUsed > 21_000 && gasUsed < 200_000, "\(gasUsed)")
            // Transfer(address,address,uint256): its topic, the sender, the recipient; the amount as data.
            let topics = logs.first?["topics"] as? [String] ?? []
            #expect(topics.first == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
            #expect(topics.last == "0x00000000000000000000000000000000000000000000000000000000000000aa")
            #expect(logs.first?["data"] as? String == "0x" + String(repeating: "0", count: 62) + "c8")

            // Raw calldata: balanceOf(0x…aa) = 200, and the same call through tx evaluate: its output ends in
            // 0xc8, not UTF-8, so only its hex travels.
            let calldata = "0x70a08231" + String(repeating: "0", count: 62) + "aa"
            let query = try await WeftProcess.run(["evm", "query", "--dir", network.dir, "--contract", contract, "--calldata", calldata, "--returns", "(uint256)"])
            #expect(query.stdout == "200\n", "\(query.stdout)\(query.stderr)")
            let evaluate = try await WeftProcess.run(["tx", "evaluate", "--dir", network.dir, "--chaincode", "evm", "--function", "call",
                                                      "--args", contract, calldata, "--json"])
            let evaluated = try Self.json(evaluate.stdout)
            #expect(evaluated["payload"] == nil, "binary output must not travel as lossy text: \(evaluate.stdout)")
            #expect(evaluated["payloadHex"] as? String == String(repeating: "0", count: 62) + "c8")
            let bad = try await WeftProcess.run(["evm", "call", "--dir", network.dir, "--contract", contract, "--calldata", "0xzz"])
            #expect(bad.status == 1 && bad.stderr.contains("is not hex"), "\(bad.stderr)")
            let both = try await WeftProcess.run(["evm", "call", "--dir", network.dir, "--contract", contract, "--calldata", calldata, "--function", "f()"])
            #expect(both.status == 1 && both.stderr.contains("not both"), "\(both.stderr)")
        }
    }
}
