/// Everything that can go wrong in the `Orderer` module.
public enum OrdererError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Batch limits that cannot work together.
    case invalidBatchLimits(String)

    public var description: String {
        switch self {
        case let .invalidBatchLimits(reason): "invalid batch limits: \(reason)"
        }
    }
}
