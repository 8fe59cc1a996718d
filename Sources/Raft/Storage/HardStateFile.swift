import WeftCore

/// The hard-state file: two 64-byte slots written alternately, so that a write torn by a crash leaves
/// the other slot (the previous state) intact. A slot is `crc` (u32, CRC-32C of the slot's other 60
/// bytes), `sequence` (u64, higher is newer), `length` (u8), the hard state's canonical encoding, zeros.
final class HardStateFile {
    static let slotSize = 64
    private static let maximumPayload = slotSize - 13

    private let file: DurableFile
    private var sequence: UInt64 = 0
    /// The hard state last written (or recovered).
    private(set) var state = HardState.initial

    init(path: String) throws(RaftError) {
        file = try DurableFile(path: path)
        let bytes = try file.readAll()
        var newest: (sequence: UInt64, state: HardState)?
        var damagedSlots = 0
        for slot in 0..<2 {
            let start = slot * Self.slotSize
            guard start < bytes.count else { continue }
            let slotBytes = Array(bytes[start..<min(start + Self.slotSize, bytes.count)])
            if let decoded = Self.decode(slotBytes) {
                if decoded.sequence >= newest?.sequence ?? 0 { newest = decoded }
            } else if slotBytes.contains(where: { $0 != 0 }) {
                damagedSlots += 1
            }
        }
        if newest == nil, damagedSlots > 1 {
            throw .corruptStorage(path: path, offset: 0, reason: "neither hard-state slot is valid")
        }
        // With no valid slot, at most the very first write was torn: nothing depended on it.
        if let newest {
            sequence = newest.sequence
            state = newest.state
        }
    }

    /// Writes `newState` into the older slot and makes it durable.
    func write(_ newState: HardState) throws(RaftError) {
        let next = sequence + 1
        var body = ByteWriter(capacity: Self.slotSize)
        body.write(next)
        let payload = newState.canonicalBytes
        body.write(UInt8(payload.count))
        body.write(raw: payload)
        body.write(raw: [UInt8](repeating: 0, count: Self.slotSize - 4 - body.bytes.count))
        var slot = ByteWriter(capacity: Self.slotSize)
        slot.write(CRC32C.checksum(body.bytes))
        slot.write(raw: body.bytes)
        try file.write(slot.bytes, at: UInt64(Int(next % 2) * Self.slotSize))
        try file.sync()
        sequence = next
        state = newState
    }

    private static func decode(_ slot: [UInt8]) -> (sequence: UInt64, state: HardState)? {
        guard slot.count == slotSize else { return nil }
        var reader = ByteReader(slot)
        guard let crc = try? reader.readUInt32(), CRC32C.checksum(slot[4...]) == crc,
              let sequence = try? reader.readUInt64(), sequence > 0,
              let length = try? reader.readUInt8(), Int(length) <= maximumPayload,
              let payload = try? reader.readRaw(count: Int(length)),
              let state = try? HardState(canonicalBytes: payload)
        else { return nil }
        return (sequence, state)
    }
}
