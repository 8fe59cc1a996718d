/// When the orderer cuts a batch of envelopes into a block (Hyperledger Fabric's `BatchSize` and
/// `BatchTimeout`, with Fabric's defaults).
public struct BatchLimits: Hashable, Sendable {
    /// A batch is cut as soon as it holds this many envelopes (default 500).
    public var maxEnvelopeCount: Int
    /// A batch is cut before an envelope that would take it past this many bytes; an envelope larger
    /// than this goes alone in its own batch (default 2 MiB).
    public var preferredMaxBytes: Int
    /// Envelopes larger than this are rejected (default 10 MiB).
    public var absoluteMaxBytes: Int
    /// A batch that is not full is cut this long after its first envelope arrived (default 2 s).
    public var batchTimeout: Duration

    /// Creates limits; the defaults are Fabric's.
    public init(
        maxEnvelopeCount: Int = 500, preferredMaxBytes: Int = 2 << 20, absoluteMaxBytes: Int = 10 << 20,
        batchTimeout: Duration = .seconds(2)
    ) {
        self.maxEnvelopeCount = maxEnvelopeCount
        self.preferredMaxBytes = preferredMaxBytes
        self.absoluteMaxBytes = absoluteMaxBytes
        self.batchTimeout = batchTimeout
    }

    /// Throws unless the limits make sense together.
    public func validate() throws(OrdererError) {
        func fail(_ reason: String) -> OrdererError { .invalidBatchLimits(reason) }
        guard maxEnvelopeCount >= 1 else { throw fail("maxEnvelopeCount must be at least 1, not \(maxEnvelopeCount)") }
        guard preferredMaxBytes >= 1 else { throw fail("preferredMaxBytes must be positive, not \(preferredMaxBytes)") }
        guard absoluteMaxBytes >= preferredMaxBytes else {
            throw fail("absoluteMaxBytes (\(absoluteMaxBytes)) must be at least preferredMaxBytes (\(preferredMaxBytes))")
        }
        guard batchTimeout > .zero else { throw fail("batchTimeout must be positive, not \(batchTimeout)") }
    }
}
