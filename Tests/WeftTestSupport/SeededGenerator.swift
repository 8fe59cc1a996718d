import Raft

/// A deterministic random number generator for reproducible randomized tests: Raft's `SplitMix64`,
/// the one seedable generator in the project.
public typealias SeededGenerator = SplitMix64

extension SplitMix64 {
    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &self) }
    }
}
