import Foundation
import Testing

/// `weft bench e2e` against a running network: through a peer's gateway by default, from the client
/// with `--direct`; both commit everything they submit, and contradictory flags are a usage error.
@Suite(.serialized, .timeLimit(.minutes(5))) struct BenchE2ECommandTests {
    private struct Output: Decodable {
        struct Report: Decodable {
            var committed: Int
            var invalid: Int
            var failed: Int
        }
        var submitPath: String
        var report: Report
    }

    @Test func theGatewayIsTheDefaultPathAndDirectIsTheClientsOwn() async throws {
        try await LocalNetworkFixture.with(orderers: 1, orgs: 2) { network in
            for (flags, path) in [([String](), "peer-gateway"), (["--direct"], "client")] {
                let run = try await WeftProcess.run(["bench", "e2e", "--dir", network.dir, "--seconds", "2", "--rate", "40", "--json"] + flags)
                #expect(run.status == 0, "\(run.stderr)")
                let output = try JSONDecoder().decode(Output.self, from: Data(run.stdout.utf8))
                #expect(output.submitPath == path)
                #expect(output.report.committed > 0)
                #expect(output.report.failed == 0 && output.report.invalid == 0, "\(run.stdout)")
            }
            let contradictory = try await WeftProcess.run(["bench", "e2e", "--dir", network.dir, "--direct", "--through-peer"])
            #expect(contradictory.status == 1)
            #expect(contradictory.stderr.contains("contradict"), "\(contradictory.stderr)")
        }
    }
}
