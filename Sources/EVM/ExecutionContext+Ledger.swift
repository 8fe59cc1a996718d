import WeftCrypto

/// The permissioned-chain environment Weft's ledger gives contracts (docs/evm.md): no coin, no
/// miner, no randomness.
extension ExecutionContext {
    /// The context of a transaction simulated on a Weft channel: ORIGIN is the submitter's address,
    /// NUMBER the height simulated on, TIMESTAMP the transaction's timestamp (seconds), CHAINID
    /// derived from the channel name, GASLIMIT the channel's per-transaction gas limit; GASPRICE,
    /// BASEFEE, PREVRANDAO and COINBASE are zero, BLOBBASEFEE is Cancun's minimum (1), no blobs.
    public static func ledger(
        submitter: Address, channel: String, height: UInt64, timestamp: UInt64, gasLimit: UInt64
    ) -> ExecutionContext {
        ExecutionContext(
            origin: submitter, gasPrice: .zero, coinbase: Address(0), number: height, timestamp: timestamp,
            gasLimit: gasLimit, prevRandao: .zero, chainID: chainID(forChannel: channel), baseFee: .zero,
            blobBaseFee: .one, blobHashes: [])
    }

    /// CHAINID of a channel: the first 8 bytes of SHA-256("weft-evm-chain-id:" ‖ UTF-8 channel name),
    /// read big-endian and shifted right by 11 bits, so it stays below 2⁵³ (exact in JSON numbers).
    public static func chainID(forChannel channel: String) -> UInt256 {
        let digest = SHA256.hash(Array("weft-evm-chain-id:\(channel)".utf8))
        var value: UInt64 = 0
        for byte in digest[..<8] { value = value << 8 | UInt64(byte) }
        return UInt256(value >> 11)
    }
}
