import Raft

/// The simulated network: each message gets a random delay (so messages reorder), may be lost or
/// duplicated, and is dropped when a partition separates its sender from its recipient.
struct SimulatedNetwork {
    struct InFlight {
        var deliverAt: Int
        var sequence: Int
        var message: Message
    }

    var lossRate = 0.0
    var duplicationRate = 0.0
    var maxDelay = 3
    /// The nodes on the minority side of a partition (empty when healed).
    var isolatedGroup: Set<NodeID> = []
    private(set) var inFlight: [InFlight] = []
    private var sequence = 0

    func canReach(_ from: NodeID, _ to: NodeID) -> Bool {
        isolatedGroup.contains(from) == isolatedGroup.contains(to)
    }

    mutating func send(_ message: Message, now: Int, random: inout SplitMix64) {
        guard canReach(message.from, message.to) else { return }
        if Double.random(in: 0..<1, using: &random) < lossRate { return }
        let copies = Double.random(in: 0..<1, using: &random) < duplicationRate ? 2 : 1
        for _ in 0..<copies {
            sequence += 1
            let delay = Int.random(in: 1...maxDelay, using: &random)
            inFlight.append(InFlight(deliverAt: now + delay, sequence: sequence, message: message))
        }
    }

    /// Removes and returns the messages due by `now`, in delivery order.
    mutating func takeDue(now: Int) -> [Message] {
        let due = inFlight.filter { $0.deliverAt <= now }
        guard !due.isEmpty else { return [] }
        inFlight.removeAll { $0.deliverAt <= now }
        return due.sorted { ($0.deliverAt, $0.sequence) < ($1.deliverAt, $1.sequence) }.map(\.message)
    }
}
