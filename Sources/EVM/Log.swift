/// A LOG0–LOG4 record: the emitting contract, up to four topics and the data.
public struct Log: Sendable, Equatable {
    public let address: Address
    public let topics: [UInt256]
    public let data: [UInt8]

    public init(address: Address, topics: [UInt256], data: [UInt8]) {
        self.address = address
        self.topics = topics
        self.data = data
    }
}
