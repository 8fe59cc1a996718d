import WeftCore

extension ConfigTransaction {
    /// The entry's transaction id in the ledger: hex SHA-256 of the configuration bytes (what a peer
    /// indexes and reports in commit events).
    public var txID: String { Hex.encode(SHA256.hash(configBytes)) }
}
