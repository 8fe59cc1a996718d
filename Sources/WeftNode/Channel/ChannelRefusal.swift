/// Why a channel operation was refused. Nothing is written when one is thrown.
public enum ChannelRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a genesis block (they do not decode, or the block is not a well-formed block 0).
    case malformedGenesis(String)
    /// The configuration the block holds cannot run (an unknown organization, a certificate that does
    /// not chain to its CA, a policy that does not parse, …).
    case invalidConfig(channel: String, reason: String)
    /// A signature on the configuration does not verify, or its signer is not an administrator of a
    /// member organization.
    case badSignature(channel: String, reason: String)
    /// The node already holds a different block 0 for this channel.
    case genesisMismatch(channel: String, have: String, given: String)
    /// The node has joined the channel already.
    case alreadyJoined(String)
    /// The node has not joined the channel.
    case notJoined(String)
    /// The channel's name is not allowed.
    case badName(String)
    /// This node cannot serve the channel (an orderer that is not one of its consenters).
    case notAMember(channel: String, reason: String)
    /// A configuration update replaces another version than the one in force.
    case staleUpdate(channel: String, current: UInt64, replaces: UInt64)
    /// A configuration update's signatures do not satisfy the channel's Admins policy.
    case updateNotAuthorized(channel: String, reason: String)

    public var description: String {
        switch self {
        case .malformedGenesis(let reason): "not a genesis block: \(reason)"
        case let .invalidConfig(channel, reason): "channel '\(channel)': invalid configuration: \(reason)"
        case let .badSignature(channel, reason): "channel '\(channel)': configuration signature refused: \(reason)"
        case let .genesisMismatch(channel, have, given):
            "channel '\(channel)': this node's genesis block has hash \(have); the block given has hash \(given)"
        case .alreadyJoined(let channel): "this node has already joined channel '\(channel)'"
        case .notJoined(let channel): "this node has not joined channel '\(channel)'"
        case .badName(let reason): "bad channel name: \(reason)"
        case let .notAMember(channel, reason): "channel '\(channel)': \(reason)"
        case let .staleUpdate(channel, current, replaces):
            "channel '\(channel)': the update replaces configuration version \(replaces), but version \(current) is in force; create it again from the current configuration"
        case let .updateNotAuthorized(channel, reason): "channel '\(channel)': update not authorized: \(reason)"
        }
    }

    /// Checks a channel name as Fabric does: 1–249 characters of lower-case letters, digits, `.` and
    /// `-`, starting with a letter.
    public static func checkName(_ name: String) throws(ChannelRefusal) {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else {
            throw .badName("'\(name.prefix(64))' must start with a lower-case letter")
        }
        guard name.count <= 249 else { throw .badName("longer than 249 characters") }
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" }
        guard allowed else { throw .badName("'\(name.prefix(64))' may hold only a–z, 0–9, '.' and '-'") }
    }
}
