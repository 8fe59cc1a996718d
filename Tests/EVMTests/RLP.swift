import EVM
import WeftCrypto

/// Just enough RLP to hash a list of logs the way Ethereum's test files do.
enum RLP {
    indirect enum Item {
        case bytes([UInt8])
        case list([Item])
    }

    static func encode(_ item: Item) -> [UInt8] {
        switch item {
        case .bytes(let bytes):
            if bytes.count == 1, bytes[0] < 0x80 { return bytes }
            return header(bytes.count, short: 0x80) + bytes
        case .list(let items):
            let body = items.flatMap(encode)
            return header(body.count, short: 0xc0) + body
        }
    }

    private static func header(_ length: Int, short: UInt8) -> [UInt8] {
        if length < 56 { return [short + UInt8(length)] }
        var lengthBytes: [UInt8] = []
        var n = length
        while n > 0 { lengthBytes.insert(UInt8(n & 0xff), at: 0); n >>= 8 }
        return [short + 55 + UInt8(lengthBytes.count)] + lengthBytes
    }

    /// Keccak-256 of RLP([[address, [topics…], data], …]).
    static func logsHash(_ logs: [Log]) -> [UInt8] {
        let items: [Item] = logs.map { log in
            .list([.bytes(log.address.bytes), .list(log.topics.map { .bytes($0.bigEndianBytes) }), .bytes(log.data)])
        }
        return Keccak256.hash(encode(.list(items)))
    }
}
