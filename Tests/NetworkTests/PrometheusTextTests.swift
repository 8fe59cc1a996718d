import Testing
@testable import weft

/// The Prometheus text parser and the quantile `weft network top` computes from histogram buckets.
@Suite struct PrometheusTextTests {
    static let text = """
        # TYPE weft_rpc_requests_total counter
        weft_rpc_requests_total{route="endorse",status="ok"} 40
        weft_rpc_requests_total{route="endorse",status="permission_denied"} 2
        weft_block_height 7.0
        weft_odd{label="a \\"quoted\\" b, c"} 1
        # TYPE weft_state_commit_duration_seconds histogram
        weft_state_commit_duration_seconds_bucket{le="0.01"} 50
        weft_state_commit_duration_seconds_bucket{le="0.1"} 90
        weft_state_commit_duration_seconds_bucket{le="1.0"} 100
        weft_state_commit_duration_seconds_bucket{le="+Inf"} 100
        weft_state_commit_duration_seconds_sum 3.2
        weft_state_commit_duration_seconds_count 100
        not a sample
        """

    @Test func parsesSamplesAndLabels() {
        let parsed = PrometheusText(parsing: Self.text)
        #expect(parsed.sum("weft_rpc_requests_total") == 42)
        #expect(parsed.sum("weft_rpc_requests_total", matching: ["status": "ok"]) == 40)
        #expect(parsed.sum("weft_block_height") == 7)
        #expect(parsed.series("weft_odd").first?.labels["label"] == "a \"quoted\" b, c")
        #expect(parsed.sum("weft_missing") == nil)
        #expect(parsed.buckets("weft_state_commit_duration_seconds").map(\.count) == [50, 90, 100, 100])
    }

    @Test func quantilesInterpolateWithinABucketOverAnInterval() throws {
        let later = PrometheusText(parsing: Self.text)
        // 99th of 100 observations: the 9th of the 10 between 0.1 and 1.0.
        let p99 = try #require(PrometheusText.quantile(0.99, of: "weft_state_commit_duration_seconds", from: nil, to: later))
        #expect(abs(p99 - 0.91) < 1e-9)
        // p50 is the first bucket's bound.
        #expect(PrometheusText.quantile(0.5, of: "weft_state_commit_duration_seconds", from: nil, to: later) == 0.01)
        // Over an interval with no new observations there is no quantile.
        #expect(PrometheusText.quantile(0.99, of: "weft_state_commit_duration_seconds", from: later, to: later) == nil)
    }
}
