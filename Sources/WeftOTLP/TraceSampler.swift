/// Which traces are recorded: OpenTelemetry's standard samplers, chosen with `OTEL_TRACES_SAMPLER` and
/// `OTEL_TRACES_SAMPLER_ARG`. Decided once per span when it starts; a span that is not sampled still
/// gets ids and passes its decision on (`traceparent` flag 00), but records and exports nothing.
public indirect enum TraceSampler: Sendable, Equatable {
    /// Every trace.
    case alwaysOn
    /// No trace.
    case alwaysOff
    /// A fraction of traces, decided by the trace id, so every process that sees the same id decides
    /// the same way: `ratio` 0.01 keeps 1 %.
    case traceIDRatio(Double)
    /// The parent's decision when there is a parent (from this process or a caller), `root`'s for a
    /// new trace.
    case parentBased(root: TraceSampler)

    /// OpenTelemetry's default: `parentbased_always_on`.
    public static let `default` = TraceSampler.parentBased(root: .alwaysOn)

    /// Whether a span of `traceID`, a child of `parent` (nil for a root), is recorded.
    public func isSampled(traceID: TraceID, parent: SpanContext?) -> Bool {
        switch self {
        case .alwaysOn:
            return true
        case .alwaysOff:
            return false
        case .traceIDRatio(let ratio):
            guard ratio < 1 else { return true }
            guard ratio > 0 else { return false }
            // The last 8 bytes of the id are random (W3C level 2); compare their top 63 bits with the ratio.
            return traceID.low >> 1 < UInt64(ratio * 9_223_372_036_854_775_808.0)
        case .parentBased(let root):
            return parent.map(\.isSampled) ?? root.isSampled(traceID: traceID, parent: nil)
        }
    }

    /// The sampler an `OTEL_TRACES_SAMPLER` value names (`always_on`, `always_off`, `traceidratio`,
    /// `parentbased_always_on`, `parentbased_always_off`, `parentbased_traceidratio`), with
    /// `argument` (`OTEL_TRACES_SAMPLER_ARG`, default 1.0) the ratio; nil for another name or a ratio
    /// that is not a number in 0...1.
    public init?(name: String, argument: String?) {
        var ratio = 1.0
        if let argument = argument?.trimmingWhitespace(), !argument.isEmpty {
            guard let value = Double(argument), value >= 0, value <= 1 else { return nil }
            ratio = value
        }
        switch name.trimmingWhitespace().lowercased() {
        case "always_on": self = .alwaysOn
        case "always_off": self = .alwaysOff
        case "traceidratio": self = .traceIDRatio(ratio)
        case "parentbased_always_on": self = .parentBased(root: .alwaysOn)
        case "parentbased_always_off": self = .parentBased(root: .alwaysOff)
        case "parentbased_traceidratio": self = .parentBased(root: .traceIDRatio(ratio))
        default: return nil
        }
    }
}
