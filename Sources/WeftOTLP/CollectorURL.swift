/// Where an OTLP/HTTP exporter POSTs: `http` or `https`, a host (a name, an IPv4 address, or an IPv6
/// address in brackets), a port (80 or 443 unless given) and a path (`/v1/traces`).
public struct CollectorURL: Hashable, Sendable, CustomStringConvertible {
    /// Whether the URL is `https`.
    public var isTLS: Bool
    /// The host to dial, without brackets.
    public var host: String
    /// The port to dial.
    public var port: Int
    /// The request target, starting with `/`.
    public var path: String

    /// Parses `http://host[:port][/path]` or `https://…`; nil for another scheme, a missing host, a
    /// port out of range, or user information (`user@host`), which a collector URL has no use for.
    public init?(_ text: String) {
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("http://") {
            isTLS = false
            rest = text.dropFirst(7)
        } else if lower.hasPrefix("https://") {
            isTLS = true
            rest = text.dropFirst(8)
        } else {
            return nil
        }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let pathPart = rest[authority.endIndex...]
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var hostPart = Substring(authority)
        var portPart: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { return nil }
            let after = hostPart[hostPart.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portPart = after.dropFirst()
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty else { return nil }
        host = String(hostPart)
        if let portPart {
            guard let number = Int(portPart), (1...65_535).contains(number) else { return nil }
            port = number
        } else {
            port = isTLS ? 443 : 80
        }
        let target = pathPart.prefix { $0 != "#" }
        path = target.hasPrefix("/") ? String(target) : "/" + target
    }

    /// The `Host` header: the host, bracketed when it is an IPv6 address, and the port.
    public var hostHeader: String {
        (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    public var description: String {
        "\(isTLS ? "https" : "http")://\(hostHeader)\(path)"
    }
}
