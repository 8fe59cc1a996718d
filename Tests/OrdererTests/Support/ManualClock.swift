import Orderer

/// The tests' manual clock: `ManualOrderingClock`, which moves only when a test calls `advance(by:)`.
typealias ManualClock = ManualOrderingClock
