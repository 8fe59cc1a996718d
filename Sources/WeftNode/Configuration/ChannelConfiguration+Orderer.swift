import WeftProtocol

extension ChannelConfiguration {
    /// An orderer of the channel (a consenter, in Fabric's words): the record a client's connection
    /// profile lists for it — name, address, organization — plus its Raft id and the keys it is pinned
    /// to. The listing's fields read as the orderer's own (`orderer.name`, `orderer.address`,
    /// `orderer.mspID`). The organizations of the consenters are the channel's orderer organizations:
    /// only they may grant the `orderer` role.
    ///
    /// Coded as one flat mapping, the listing's keys beside its own:
    /// `{name, address, mspID, raftID, tlsKeySHA256, signingKeySHA256}`.
    @dynamicMemberLookup
    public struct Orderer: Codable, Sendable, Equatable {
        /// Who the orderer is and where it listens, as a connection profile lists it.
        public var listing: ConnectionProfile.Orderer
        /// Its Raft node id (1, 2, 3, …), unique in the channel.
        public var raftID: UInt64
        /// SHA-256 (hex) of the public key (SubjectPublicKeyInfo DER) of its TLS certificate: Raft
        /// messages for `raftID`, forwarded envelopes and block fetches are accepted only over a TLS
        /// connection authenticated with this key. Pinning the key, not the certificate, lets the
        /// certificate be renewed (`weft crypto renew`) without a configuration change.
        public var tlsKeySHA256: String?
        /// SHA-256 (hex) of the public key of its signing certificate: peers accept block signatures
        /// only from consenters' signing keys.
        public var signingKeySHA256: String?

        /// Creates the record of the orderer `listing` describes, as Raft node `raftID`.
        public init(_ listing: ConnectionProfile.Orderer, raftID: UInt64, tlsKeySHA256: String? = nil, signingKeySHA256: String? = nil) {
            self.listing = listing
            self.raftID = raftID
            self.tlsKeySHA256 = tlsKeySHA256
            self.signingKeySHA256 = signingKeySHA256
        }

        /// A field of the listing (`name`, `address`, `mspID`), read and written as the orderer's own.
        public subscript<Value>(dynamicMember field: WritableKeyPath<ConnectionProfile.Orderer, Value>) -> Value {
            get { listing[keyPath: field] }
            set { listing[keyPath: field] = newValue }
        }

        private enum CodingKeys: String, CodingKey {
            case raftID, tlsKeySHA256, signingKeySHA256
        }

        public init(from decoder: any Decoder) throws {
            listing = try ConnectionProfile.Orderer(from: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            raftID = try container.decode(UInt64.self, forKey: .raftID)
            tlsKeySHA256 = try container.decodeIfPresent(String.self, forKey: .tlsKeySHA256)
            signingKeySHA256 = try container.decodeIfPresent(String.self, forKey: .signingKeySHA256)
        }

        public func encode(to encoder: any Encoder) throws {
            try listing.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(raftID, forKey: .raftID)
            try container.encodeIfPresent(tlsKeySHA256, forKey: .tlsKeySHA256)
            try container.encodeIfPresent(signingKeySHA256, forKey: .signingKeySHA256)
        }
    }
}
