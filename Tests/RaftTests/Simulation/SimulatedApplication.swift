import Raft
import WeftCore

/// The application state of one simulated node: every entry it applied, in order. It survives crashes
/// (like the orderer's block store), and its snapshot is the whole history.
struct SimulatedApplication {
    private(set) var history: [Entry] = []

    var appliedIndex: UInt64 { history.last?.index ?? 0 }

    mutating func apply(_ entry: Entry) throws(SimulationFailure) {
        guard entry.index == appliedIndex + 1 else {
            throw SimulationFailure("applied entry \(entry.index) after \(appliedIndex)")
        }
        history.append(entry)
    }

    func snapshotData() -> [UInt8] {
        var writer = ByteWriter()
        writer.write(history)
        return writer.bytes
    }

    mutating func restore(from snapshot: Snapshot) throws(SimulationFailure) {
        var reader = ByteReader(snapshot.data)
        do {
            history = try reader.readArray(of: Entry.self)
        } catch {
            throw SimulationFailure("snapshot data does not decode: \(error)")
        }
        guard appliedIndex == snapshot.index else {
            throw SimulationFailure("snapshot at \(snapshot.index) restores a history ending at \(appliedIndex)")
        }
    }
}

/// A broken invariant (or a broken harness), with what went wrong.
struct SimulationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
