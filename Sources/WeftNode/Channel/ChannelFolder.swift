#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The joined channels a node keeps in its data folder: `channels/<name>/genesis.block` says the node
/// has joined `<name>`; an orderer keeps the channel's Raft log and block store beside it. Joining
/// writes the file (atomically), leaving removes it.
public enum ChannelFolder {
    static let genesisFileName = "genesis.block"

    /// The genesis block files of every joined channel, by channel name, sorted.
    static func joined(in folder: URL) -> [(name: String, genesis: URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            let file = folder.appendingPathComponent(name).appendingPathComponent(genesisFileName)
            return FileManager.default.fileExists(atPath: file.path) ? (name, file) : nil
        }
    }

    /// Writes `bytes` as the genesis block of channel folder `channel` (created if needed), atomically.
    public static func writeGenesis(_ bytes: [UInt8], in channel: URL) throws {
        try FileManager.default.createDirectory(at: channel, withIntermediateDirectories: true)
        try Data(bytes).write(to: channel.appendingPathComponent(genesisFileName), options: .atomic)
    }

    /// Reads the genesis block of channel folder `channel`.
    static func readGenesis(in channel: URL) throws -> [UInt8] {
        let url = channel.appendingPathComponent(genesisFileName)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw ConfigurationError.unreadable(path: url.path) }
        return [UInt8](data)
    }
}
