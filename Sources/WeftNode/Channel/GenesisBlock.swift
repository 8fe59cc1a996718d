#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftCrypto

/// Block 0 of a channel: one `ConfigTransaction` entry, chained on the genesis previous hash, without
/// orderer signatures (no orderer exists before it). Nodes trust it because an administrator of their
/// organization joined them with it; every later block is signed by the consenters it names.
public enum GenesisBlock {
    /// The genesis block for `config`, signed by `signers` (administrators of member organizations).
    public static func make(config: ChannelConfig, signers: [SigningIdentity] = []) throws -> Block {
        let entry = try ConfigTransaction(config: config, signers: signers)
        return Block(number: 0, previousHash: BlockHeader.genesisPreviousHash, data: [entry.canonicalBytes])
    }

    /// A genesis block read and checked: the block, its configuration entry, and the channel it opens.
    public struct Checked: Sendable {
        public let block: Block
        public let transaction: ConfigTransaction
        public let channel: ChannelContext
        /// Hex of block 0's header hash: the channel's identity.
        public var hashHex: String { Hex.encode(block.header.hash) }
    }

    /// Decodes `bytes` as a genesis block and checks it: block 0 on the genesis previous hash, one
    /// configuration entry matching the data hash, a configuration that can run (at `time`), and
    /// signatures of administrators only.
    public static func check(_ bytes: [UInt8], at time: Date = Date()) throws(ChannelRefusal) -> Checked {
        let block: Block
        do { block = try Block(canonicalBytes: bytes) } catch { throw .malformedGenesis("\(error)") }
        return try check(block, at: time)
    }

    /// Checks a decoded genesis block (see `check(_:at:)`).
    public static func check(_ block: Block, at time: Date = Date()) throws(ChannelRefusal) -> Checked {
        guard block.number == 0 else { throw .malformedGenesis("it is block \(block.number), not block 0") }
        guard block.header.previousHash == BlockHeader.genesisPreviousHash else {
            throw .malformedGenesis("block 0 must chain on 32 zero bytes")
        }
        guard block.data.count == 1 else { throw .malformedGenesis("it holds \(block.data.count) entries; a genesis block holds one") }
        guard Block.dataHash(of: block.data) == block.header.dataHash else {
            throw .malformedGenesis("its data hash does not match its entry")
        }
        let transaction: ConfigTransaction
        let config: ChannelConfig
        do {
            transaction = try ConfigTransaction(canonicalBytes: block.data[0])
            config = try transaction.config()
        } catch {
            throw .malformedGenesis("the configuration entry does not decode: \(error)")
        }
        let channel = try ChannelContext(config: config, genesis: block, at: time)
        for signature in transaction.signatures {
            try channel.checkAdminSignature(signature, over: transaction.configBytes, at: time)
        }
        return Checked(block: block, transaction: transaction, channel: channel)
    }
}
