import Foundation
import Logging
import Operations
import Testing

@Suite struct WeftLogHandlerTests {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "disk full" }
    }

    @Test func textLinesCarryTimeLevelLabelMessageAndSortedMetadata() throws {
        let captured = CapturedLines()
        let control = LogLevelControl(spec: LogSpec(defaultLevel: .trace))
        var logger = Logger(label: "weft.orderer") { WeftLogHandler(label: $0, control: control, sink: captured.sink) }
        logger[metadataKey: "node"] = "orderer1"
        logger.info("block cut", metadata: ["txs": "3", "reason": "batch timeout", "number": .stringConvertible(5)])
        let line = try #require(captured.lines.first)
        let pattern = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z info weft\.orderer: block cut node=orderer1 number=5 reason="batch timeout" txs=3\n$/#
        #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
    }

    @Test func jsonLinesAreOneParseableObject() throws {
        let captured = CapturedLines()
        let control = LogLevelControl(spec: LogSpec(defaultLevel: .trace))
        let logger = Logger(label: "weft.peer") { WeftLogHandler(label: $0, control: control, format: .json, sink: captured.sink) }
        logger.error("commit failed \"badly\"\n", error: Failure(), metadata: ["block": "7", "peers": ["a", "b"]])
        let line = try #require(captured.lines.first)
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "error")
        #expect(object["logger"] as? String == "weft.peer")
        #expect(object["message"] as? String == "commit failed \"badly\"\n")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["block"] as? String == "7")
        #expect(metadata["peers"] as? [String] == ["a", "b"])
        #expect(metadata["error"] as? String == "disk full")
    }

    @Test func levelsFollowTheControlUnlessSetOnTheLogger() {
        let captured = CapturedLines()
        let control = LogLevelControl()
        let quiet = Logger(label: "weft.ledger") { WeftLogHandler(label: $0, control: control, sink: captured.sink) }
        var loud = Logger(label: "weft.ledger") { WeftLogHandler(label: $0, control: control, sink: captured.sink) }
        loud.logLevel = .trace
        quiet.debug("hidden")
        loud.debug("shown 1")
        control.setSpec(LogSpec(defaultLevel: .error, overrides: ["weft.ledger": .debug]))
        quiet.debug("shown 2")
        control.setSpec(LogSpec(defaultLevel: .critical))
        quiet.error("hidden")
        #expect(quiet.logLevel == .critical)
        #expect(captured.lines.map { $0.split(separator: ": ").last.map(String.init) } == ["shown 1\n", "shown 2\n"])
    }

    @Test func bootstrapIsSafeToCallMoreThanOnce() {
        let control = WeftLogging.bootstrap(spec: LogSpec(defaultLevel: .warning))
        #expect(WeftLogging.isBootstrapped)
        #expect(WeftLogging.bootstrap(spec: LogSpec(defaultLevel: .notice)) === control)
        #expect(Logger(label: "weft.test").logLevel == .notice)
        control.setSpec(LogSpec(defaultLevel: .info))
    }
}
