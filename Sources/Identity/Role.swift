/// What an identity may do in a network, carried in its certificate's organizational unit (OU).
public enum Role: String, CaseIterable, Codable, Hashable, Sendable, CustomStringConvertible {
    /// Submits transactions and queries.
    case client
    /// Endorses and commits.
    case peer
    /// Orders transactions into blocks.
    case orderer
    /// Administers its organization.
    case admin

    public var description: String { rawValue }
}
