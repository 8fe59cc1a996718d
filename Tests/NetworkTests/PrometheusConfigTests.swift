import Foundation
import Testing
import WeftYAML

/// The compose network's optional Prometheus (Network/prometheus/prometheus.yml) scrapes every node of
/// Network/compose.yaml at its operations port, over HTTPS with the TLS CA of the node's organization.
@Suite struct PrometheusConfigTests {
    struct Configuration: Decodable {
        struct Job: Decodable {
            struct Group: Decodable {
                var targets: [String]
                var labels: [String: String]
            }
            struct TLS: Decodable { var ca_file: String }
            var job_name: String
            var scheme: String
            var tls_config: TLS
            var static_configs: [Group]
        }
        var scrape_configs: [Job]
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyComposeNodeIsScrapedAtItsOperationsPort() throws {
        let compose = try String(contentsOf: Self.root.appendingPathComponent("Network/compose.yaml"), encoding: .utf8)
        // The nodes in compose order (orderers, then peers): the order `weft network init --base-port` numbers them.
        let nodes = compose.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "WEFT_CONFIG: /net/nodes/") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "/" })
        }
        #expect(nodes.count == 7)
        #expect(compose.contains("profiles: [monitoring]") && compose.contains("./prometheus/prometheus.yml"))
        let text = try String(contentsOf: Self.root.appendingPathComponent("Network/prometheus/prometheus.yml"), encoding: .utf8)
        let configuration = try YAMLDecoder().decode(Configuration.self, from: text)
        var scraped: [String: (target: String, ca: String)] = [:]
        for job in configuration.scrape_configs {
            #expect(job.scheme == "https")
            for group in job.static_configs {
                for target in group.targets { scraped[group.labels["instance"] ?? target] = (target, job.tls_config.ca_file) }
            }
        }
        #expect(Set(scraped.keys) == Set(nodes))
        for (index, node) in nodes.enumerated() {
            // Base port 7050: 3 orderer ports, 4 peer ports, then the operations endpoints in the same order.
            #expect(scraped[node]?.target == "127.0.0.1:\(7057 + index)", "\(node)")
            let organization = String(node.split(separator: ".")[1])
            #expect(scraped[node]?.ca.hasSuffix("/tlsca/tlsca.\(organization).pem") == true, "\(node)")
        }
    }
}
