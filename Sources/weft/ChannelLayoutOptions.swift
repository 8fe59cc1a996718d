import ArgumentParser
import WeftNode

/// `--channels N` and `--channel-orgs` of `weft network up` and `init`: which channels a new local
/// network has and which organizations belong to each.
struct ChannelLayoutOptions: ParsableArguments {
    @Option(help: "Channels to create (first run only): one is 'mychannel'; N > 1 are ch1…chN.")
    var channels = 1

    @Option(name: .customLong("channel-orgs"), help: "A channel with only some organizations, e.g. 'ch2=Org1' or 'ch2=Org1+Org3' (repeatable).")
    var channelOrgs: [String] = []

    func validate() throws {
        guard (1...16).contains(channels) else { throw ValidationError("use --channels 1…16") }
        _ = try specs()
    }

    /// The channels, in order, with the organizations `--channel-orgs` restricts them to.
    func specs() throws -> [LocalNetworkPlan.ChannelSpec] {
        var specs = channels == 1
            ? [LocalNetworkPlan.ChannelSpec(name: "mychannel")]
            : (1...channels).map { LocalNetworkPlan.ChannelSpec(name: "ch\($0)") }
        for text in channelOrgs {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty, let index = specs.firstIndex(where: { $0.name == parts[0] }) else {
                throw ValidationError("--channel-orgs \(text): expected CHANNEL=Org1[+Org2…] naming one of \(specs.map(\.name).joined(separator: ", "))")
            }
            specs[index].organizations = parts[1].split(separator: "+").map(String.init)
        }
        return specs
    }
}
