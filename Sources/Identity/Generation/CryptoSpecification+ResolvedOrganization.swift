extension CryptoSpecification {
    /// An organization with every default filled in: what `OrganizationWriter` writes.
    struct ResolvedOrganization {
        let name: String
        let mspID: String
        let domain: String
        let isOrderer: Bool
        let nodes: Int
        let users: Int
        /// Extra names for its nodes, with the field each comes from (`peerOrganizations[0].hosts[1]`):
        /// the organization's own patterns, then the ones for every organization.
        let hostPatterns: [(field: String, text: String)]
        /// Extra names of single nodes, by host name (`CryptoSpecification.nodeHosts`).
        var nodeNames: [String: [String]] = [:]

        /// The role of its nodes.
        var nodeRole: Role { isOrderer ? .orderer : .peer }

        /// Host name of node `index`: `peer0.org1`, `orderer2.orderer`.
        func nodeHost(_ index: Int) -> String { "\(nodeRole.rawValue)\(index).\(domain)" }

        /// Subject alternative names of node `index`: its host name, `localhost`, `127.0.0.1`, then the
        /// expanded patterns, then the node's own names, each once.
        func nodeHosts(_ index: Int) -> [String] {
            let host = nodeHost(index)
            var names = [host, "localhost", "127.0.0.1"]
            let expanded = hostPatterns.map { HostPattern.expand($0.text, node: host, index: index) }
            for name in expanded + (nodeNames[host] ?? []) where !names.contains(name) {
                names.append(name)
            }
            return names
        }

        /// Checks every pattern, and every name it expands to for each node; errors name the field.
        func validateHosts() throws(IdentityError) {
            for pattern in hostPatterns {
                _ = try HostPattern(pattern.text, field: pattern.field)
                for index in 0..<nodes {
                    let host = nodeHost(index)
                    if let problem = HostPattern.nameProblem(HostPattern.expand(pattern.text, node: host, index: index)) {
                        throw .invalidSpecification("\(pattern.field) '\(pattern.text)' for \(host): \(problem)")
                    }
                }
            }
        }
    }
}
