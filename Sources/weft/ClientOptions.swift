import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftClient
import WeftCommandLine

/// How a client command finds the network and who it is (docs/CLI.md): `--dir` of a local network, or
/// `--profile` and `--identity` (`WEFT_PROFILE`, `WEFT_IDENTITY`).
struct ClientOptions: ParsableArguments {
    @Option(help: "A local network made by `weft network up` (default ./weft-net when it exists).")
    var dir: String?

    @Option(help: "A connection profile YAML (or WEFT_PROFILE).")
    var profile: String?

    @Option(help: "An identity folder with cert.pem, key.pem, identity.json (or WEFT_IDENTITY).")
    var identity: String?

    @Option(help: "The peer to ask (default: a peer of the caller's organization).")
    var peer: String?

    @Option(help: "The channel (default: the profile's first channel).")
    var channel: String?

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    /// The folder named by --dir, or ./weft-net when no profile is given and it exists.
    var networkDirectory: String? {
        if let dir { return dir }
        let environment = ProcessInfo.processInfo.environment
        if profile == nil, environment["WEFT_PROFILE"] == nil,
           FileManager.default.fileExists(atPath: "weft-net/profile.yaml") { return "weft-net" }
        return nil
    }

    /// A gateway for the chosen network and identity, or a usage error saying what to pass.
    func gateway() throws -> Gateway {
        let environment = ProcessInfo.processInfo.environment
        let profilePath = profile ?? environment["WEFT_PROFILE"] ?? networkDirectory.map { "\($0)/profile.yaml" }
        guard let profilePath else {
            throw CLIFailure(.usage, "no network given: pass --dir DIR (made by `weft network up --dir DIR`) or --profile FILE --identity PATH")
        }
        guard FileManager.default.fileExists(atPath: profilePath) else {
            throw CLIFailure(.unreachable, "\(profilePath) does not exist — is the network up? Try: weft network up --dir \(networkDirectory ?? "./weft-net")")
        }
        var loaded: ConnectionProfile
        do {
            loaded = try ConnectionProfile.load(path: profilePath)
        } catch {
            throw CLIFailure(.usage, "\(error)")
        }
        if let channel {
            if let channels = loaded.channels, !channels.contains(channel) {
                throw CLIFailure(.usage, "--channel \(channel): the network has no such channel (channels: \(channels.joined(separator: ", ")))")
            }
            loaded.channel = channel
        }
        guard let identityPath = identity ?? environment["WEFT_IDENTITY"] ?? loaded.identity else {
            throw CLIFailure(.usage, "no identity given: pass --identity PATH (a folder with cert.pem, key.pem, identity.json and tls/)")
        }
        do {
            return try Gateway(profile: loaded, identityFolder: identityPath)
        } catch {
            throw CLIFailure(.usage, "\(error)")
        }
    }

    /// The CLI failure for a gateway error: unreachable nodes exit 3 with a hint, the rest 4.
    func failure(_ error: Error) -> CLIFailure {
        if let failure = error as? CLIFailure { return failure }
        guard let gatewayError = error as? GatewayError else { return CLIFailure(.other, "\(error)") }
        if case .refused = gatewayError { return CLIFailure(.unreachable, gatewayError.description) }
        if gatewayError.isUnreachable {
            let hint = networkDirectory.map { " — is the network up? Try: weft network status --dir \($0)" } ?? ""
            return CLIFailure(.unreachable, gatewayError.description + hint)
        }
        return CLIFailure(.other, gatewayError.description)
    }
}

/// Arguments given as `--args a b c` or as one JSON array `--args '["a","b"]'`.
enum ChaincodeArguments {
    static func parse(_ values: [String]) throws -> [[UInt8]] {
        if values.count == 1, let first = values.first, first.hasPrefix("[") {
            guard let array = try? JSONDecoder().decode([JSONArgument].self, from: Data(first.utf8)) else {
                throw CLIFailure(.usage, "--args \(first) is not a JSON array of strings")
            }
            return try array.enumerated().map { index, element in
                guard let text = element.text else { throw CLIFailure(.usage, "--args: element \(index + 1) is not a string or number") }
                return Array(text.utf8)
            }
        }
        return values.map { Array($0.utf8) }
    }
}

/// One element of a JSON `--args` array: a string as it is, a number in its shortest form (`5`, `2.5`),
/// `true`/`false` as `1`/`0`; nil for null, arrays and objects.
private struct JSONArgument: Decodable {
    let text: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else if let integer = try? container.decode(Int64.self) {
            text = "\(integer)"
        } else if let integer = try? container.decode(UInt64.self) {
            text = "\(integer)"
        } else if let number = try? container.decode(Double.self) {
            text = "\(number)"
        } else if let flag = try? container.decode(Bool.self) {
            text = flag ? "1" : "0"
        } else {
            text = nil
        }
    }
}
