import WeftCore

// Canonical encodings of the ledger's query results, for the wire. Layouts in docs/encoding.md.

extension ChainInfo: Hashable, CanonicalCodable {
    public func hash(into hasher: inout Hasher) { hasher.combine(canonicalBytes) }

    public func encode(to writer: inout ByteWriter) {
        writer.write(height)
        writer.write(lengthPrefixed: currentBlockHash)
        writer.write(lengthPrefixed: commitHash)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        self.init(height: try reader.readUInt64(), currentBlockHash: try reader.readLengthPrefixed(),
                  commitHash: try reader.readLengthPrefixed())
    }
}

extension TransactionStatus: Hashable, CanonicalCodable {
    public func hash(into hasher: inout Hasher) { hasher.combine(canonicalBytes) }

    public func encode(to writer: inout ByteWriter) {
        writer.write(txID)
        writer.write(blockNumber)
        writer.write(txNumber)
        writer.write(validationCode)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        self.init(txID: try reader.readString(), blockNumber: try reader.readUInt64(), txNumber: try reader.readUInt32(),
                  validationCode: try reader.read())
    }
}

extension TransactionRecord: Hashable, CanonicalCodable {
    public func hash(into hasher: inout Hasher) { hasher.combine(canonicalBytes) }

    public func encode(to writer: inout ByteWriter) {
        writer.write(status)
        writer.write(lengthPrefixed: envelope)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        self.init(status: try reader.read(), envelope: try reader.readLengthPrefixed())
    }
}

extension TransactionInclusionProof: Hashable, CanonicalCodable {
    public func hash(into hasher: inout Hasher) { hasher.combine(canonicalBytes) }

    public func encode(to writer: inout ByteWriter) {
        writer.write(txID)
        writer.write(header)
        writer.write(txNumber)
        writer.write(treeSize)
        writer.write(lengthPrefixed: envelope)
        writer.write(auditPath.map(Bytes.init))
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        self.init(txID: try reader.readString(), header: try reader.read(), txNumber: try reader.readUInt32(),
                  treeSize: try reader.readUInt64(), envelope: try reader.readLengthPrefixed(),
                  auditPath: try reader.readArray(of: Bytes.self, minimumElementSize: 4).map(\.bytes))
    }
}
