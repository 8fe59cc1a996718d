import WeftCore

extension Block {
    /// An upper bound of the size of the block's canonical encoding, to reserve a buffer once: blocks
    /// are megabytes, and a buffer grown by doubling would copy them several times over.
    var encodedSizeBound: Int {
        let header = 8 + 4 + header.previousHash.count + 4 + header.dataHash.count
        let envelopes = 4 + data.reduce(0) { $0 + 4 + $1.count }
        let signatures = metadata.ordererSignatures.reduce(4) {
            $0 + 4 + $1.signer.mspID.utf8.count + 4 + $1.signer.certificate.count + 4 + $1.signature.count
        }
        return header + envelopes + signatures + 4 + metadata.validationFlags.count * 4 + 4 + metadata.commitHash.count + 64
    }

    /// The canonical bytes, written into a buffer reserved once.
    var encodedBytes: [UInt8] {
        var writer = ByteWriter(capacity: encodedSizeBound)
        encode(to: &writer)
        return writer.bytes
    }
}
