import WeftCore

/// The snapshot file: `WRAFTSN1`, `crc` (u32, CRC-32C of the rest), then the snapshot's canonical
/// encoding. It is replaced atomically (write a temporary file, fsync, rename, fsync the directory).
enum SnapshotFile {
    static let magic: [UInt8] = Array("WRAFTSN1".utf8)

    static func write(_ snapshot: Snapshot, to path: String) throws(RaftError) {
        let payload = snapshot.canonicalBytes
        var writer = ByteWriter(capacity: magic.count + 4 + payload.count)
        writer.write(raw: magic)
        writer.write(CRC32C.checksum(payload))
        writer.write(raw: payload)
        try DurableFile.replaceAtomically(path: path, with: writer.bytes)
    }

    /// The snapshot at `path`, or nil when there is none yet.
    static func read(from path: String) throws(RaftError) -> Snapshot? {
        guard DurableFile.exists(path) else { return nil }
        let bytes = try DurableFile(path: path, create: false).readAll()
        let headerSize = magic.count + 4
        guard bytes.count >= headerSize, Array(bytes.prefix(magic.count)) == magic else {
            throw .corruptStorage(path: path, offset: 0, reason: "not a Weft Raft snapshot (bad header)")
        }
        var reader = ByteReader(bytes[magic.count..<headerSize])
        let crc: UInt32
        do { crc = try reader.readUInt32() } catch { throw .corruptStorage(path: path, offset: 8, reason: "\(error)") }
        let payload = bytes[headerSize...]
        guard CRC32C.checksum(payload) == crc else {
            throw .corruptStorage(path: path, offset: UInt64(headerSize), reason: "snapshot checksum mismatch")
        }
        do {
            return try Snapshot(canonicalBytes: payload)
        } catch {
            throw .corruptStorage(path: path, offset: UInt64(headerSize), reason: "snapshot does not decode: \(error)")
        }
    }
}
