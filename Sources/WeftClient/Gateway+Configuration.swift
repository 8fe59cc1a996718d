import WeftCore

extension Gateway {
    /// Submits a configuration update (a `ConfigTransaction` with its administrators' signatures) to
    /// the orderers and waits until a peer reports the block that carries it committed: its block
    /// number, and `VALID` — the update is in force from the next block — or
    /// `INVALID_CONFIG_TRANSACTION` (another update got in first; docs/governance.md).
    public func submitConfigurationUpdate(
        _ update: [UInt8], txID: String, timeout: Duration = .seconds(30)
    ) async throws(GatewayError) -> (blockNumber: UInt64, code: ValidationCode) {
        try await ensureListening()
        let deadline = ContinuousClock.now + timeout
        try await broadcastRetrying(update, until: deadline)
        guard let outcome = await listener.outcome(of: txID, timeout: deadline - ContinuousClock.now) else {
            throw .commitTimeout(txID: txID, seconds: Double(timeout.components.seconds))
        }
        return outcome
    }
}
