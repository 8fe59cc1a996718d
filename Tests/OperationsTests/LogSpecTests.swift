import Logging
import Operations
import Testing

@Suite struct LogSpecTests {
    @Test func aBareLevelSetsTheDefault() throws {
        let spec = try LogSpec(parsing: " DEBUG ")
        #expect(spec == LogSpec(defaultLevel: .debug))
        #expect(spec.level(forLabel: "weft.anything") == .debug)
        #expect(spec.description == "debug")
    }

    @Test func overridesMatchLabelsAndDotPrefixesLongestFirst() throws {
        let spec = try LogSpec(parsing: "weft.raft,weft.ledger=trace:weft.raft.storage=error:warn")
        #expect(spec.defaultLevel == .warning)
        #expect(spec.level(forLabel: "weft.raft") == .trace)
        #expect(spec.level(forLabel: "weft.raft.node") == .trace)
        #expect(spec.level(forLabel: "weft.raft.storage") == .error)
        #expect(spec.level(forLabel: "weft.raft.storage.files") == .error)
        #expect(spec.level(forLabel: "weft.raftish") == .warning)  // not a dot-prefix
        #expect(spec.level(forLabel: "weft.ledger") == .trace)
        #expect(spec.description == "weft.ledger,weft.raft=trace:weft.raft.storage=error:warning")
        #expect(try LogSpec(parsing: spec.description) == spec)
    }

    @Test func overridesAloneKeepTheInfoDefault() throws {
        let spec = try LogSpec(parsing: "weft.orderer=debug")
        #expect(spec.defaultLevel == .info)
        #expect(spec.description == "weft.orderer=debug:info")
    }

    @Test(arguments: [
        ("", "the spec is empty"),
        ("loud", "unknown level 'loud'"),
        ("info:debug", "sets the default level twice"),
        ("weft=debug=info", "more than one '='"),
        ("info::debug", "empty term"),
        ("=debug", "'' in '=debug' is not a logger name"),
        ("we ft=debug", "'we ft' in 'we ft=debug' is not a logger name"),
        ("weft.raft=", "unknown level ''"),
    ])
    func badSpecsNameTheirProblem(text: String, expected: String) {
        do {
            _ = try LogSpec(parsing: text)
            Issue.record("'\(text)' parsed")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func theControlFollowsChangesForEveryLabel() throws {
        let control = LogLevelControl()
        #expect(control.level(forLabel: "weft.peer") == .info)
        try control.setSpec(parsing: "weft.peer=trace:error")
        #expect(control.level(forLabel: "weft.peer") == .trace)
        #expect(control.level(forLabel: "weft.orderer") == .error)
        #expect(throws: OperationsError.self) { try control.setSpec(parsing: "nonsense") }
        #expect(control.spec.description == "weft.peer=trace:error")
    }
}
