/// The block and transaction environment visible to code (ORIGIN, GASPRICE, COINBASE, TIMESTAMP, …).
/// On Weft's ledger: NUMBER is the height being simulated on, TIMESTAMP the transaction's timestamp,
/// CHAINID derived from the channel name, ORIGIN the submitter's address (see docs/evm.md).
public struct ExecutionContext: Sendable {
    public var origin: Address
    public var gasPrice: UInt256
    public var coinbase: Address
    public var number: UInt64
    public var timestamp: UInt64
    public var gasLimit: UInt64
    public var prevRandao: UInt256
    public var chainID: UInt256
    public var baseFee: UInt256
    public var blobBaseFee: UInt256
    public var blobHashes: [UInt256]

    public init(
        origin: Address, gasPrice: UInt256 = .zero, coinbase: Address = Address(0), number: UInt64 = 0,
        timestamp: UInt64 = 0, gasLimit: UInt64 = 30_000_000, prevRandao: UInt256 = .zero,
        chainID: UInt256 = .one, baseFee: UInt256 = .zero, blobBaseFee: UInt256 = .one, blobHashes: [UInt256] = []
    ) {
        self.origin = origin
        self.gasPrice = gasPrice
        self.coinbase = coinbase
        self.number = number
        self.timestamp = timestamp
        self.gasLimit = gasLimit
        self.prevRandao = prevRandao
        self.chainID = chainID
        self.baseFee = baseFee
        self.blobBaseFee = blobBaseFee
        self.blobHashes = blobHashes
    }
}
