extension Certificate {
    /// Whether one of the certificate's subject alternative names names `host`: an IP address is
    /// compared as address bytes (`::1` matches `0:0::1`), a DNS name without regard to case, and a
    /// `*.` wildcard matches exactly one leftmost label.
    public func names(host: String) -> Bool {
        let wanted = SubjectAlternativeName(host: host)
        return subjectAlternativeNames.contains { name in
            switch (name, wanted) {
            case let (.ipAddress(mine), .ipAddress(theirs)):
                return SubjectAlternativeName.addressBytes(mine) == SubjectAlternativeName.addressBytes(theirs)
            case let (.dnsName(mine), .dnsName(theirs)):
                return Self.dnsName(mine.lowercased(), matches: theirs.lowercased())
            default:
                return false
            }
        }
    }

    private static func dnsName(_ pattern: String, matches host: String) -> Bool {
        guard pattern.hasPrefix("*.") else { return pattern == host }
        guard let dot = host.firstIndex(of: "."), dot != host.startIndex else { return false }
        return host[dot...] == pattern.dropFirst()
    }
}
