#if canImport(Glibc)
import Glibc
#endif
import FuzzSupport
@testable import Orderer
import Raft
import WeftCore

/// A block-store record as read from `blocks.dat`: the 60-byte record header, then the block. The
/// header parser never crashes and a header it accepts re-serializes to the same bytes; a payload
/// whose length and checksum match decodes canonically or not at all. Then the whole input is opened
/// as a store file: recovery never crashes, and a reopened store has the same tip.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBlockRecord(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let bytes = RoundTrip.bytes(data, size)
    if let header = try? BlockRecordHeader(parsing: bytes[...]) {
        RoundTrip.require(header.bytes == Array(bytes.prefix(BlockRecordHeader.size)), "record header re-serializes differently")
        let payload = Array(bytes.dropFirst(BlockRecordHeader.size))
        if payload.count == Int(header.length), CRC32C.checksum(payload) == header.payloadCRC {
            RoundTrip.checkCanonical(Block.self, payload)
        }
    }
    StoreFile.check(bytes)
    return 0
}

/// Opens the input as a block store's file, in a scratch directory reused by every run.
enum StoreFile {
    static let directory = "/tmp/weft-fuzz-blockstore-\(getpid())"

    static func check(_ bytes: [UInt8]) {
        let path = directory + "/blocks.dat"
        mkdir(directory, 0o700)
        guard let file = fopen(path, "wb") else { return }
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
        guard let store = try? BlockStore(directory: directory) else { return }
        let tip = store.tip
        for number in 0..<min(tip.height, 4) { _ = try? store.block(number) }
        store.close()
        guard let reopened = try? BlockStore(directory: directory) else { fatalError("a recovered store does not reopen") }
        RoundTrip.require(reopened.tip == tip, "recovery is not idempotent: \(tip) then \(reopened.tip)")
        reopened.close()
    }
}
