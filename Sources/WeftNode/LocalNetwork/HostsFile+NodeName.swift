import Identity

extension HostsFile {
    /// A node name as `weft crypto generate` gives it: `ordererN.orderer` or `peerN.orgK`.
    struct NodeName: Comparable {
        let text: String
        /// N.
        let index: Int
        /// K for a peer, nil for an orderer.
        let organization: Int?

        var isOrderer: Bool { organization == nil }

        init?(_ text: String) {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            func number(_ digits: Substring) -> Int? {
                guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                      digits == "0" || !digits.hasPrefix("0") else { return nil }
                return Int(digits)
            }
            if parts[1] == "orderer", parts[0].hasPrefix("orderer"), let index = number(parts[0].dropFirst("orderer".count)) {
                self.text = text
                self.index = index
                self.organization = nil
            } else if parts[0].hasPrefix("peer"), parts[1].hasPrefix("org"), let index = number(parts[0].dropFirst("peer".count)),
                      let organization = number(parts[1].dropFirst("org".count)), organization >= 1 {
                self.text = text
                self.index = index
                self.organization = organization
            } else {
                return nil
            }
        }

        /// Orderers first by number, then peers by organization and number.
        static func < (left: NodeName, right: NodeName) -> Bool {
            (left.organization ?? 0, left.index) < (right.organization ?? 0, right.index)
        }
    }

    /// The crypto description of the network the file names: its orderers, its organizations `Org1…`
    /// with their peers, `users` users each, and every node's certificates also naming its host and
    /// its address.
    public func cryptoSpecification(users: Int = 1) -> CryptoSpecification {
        let names = placements.compactMap { NodeName($0.node) }
        let organizations = Set(names.compactMap(\.organization)).sorted()
        return CryptoSpecification(
            peerOrganizations: organizations.map { organization in
                .init(name: "Org\(organization)", peers: names.filter { $0.organization == organization }.count, users: users)
            },
            ordererOrganization: .init(orderers: names.filter(\.isOrderer).count),
            nodeHosts: Dictionary(uniqueKeysWithValues: placements.map { ($0.node, [$0.host, $0.address]) }))
    }
}
