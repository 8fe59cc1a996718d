import Testing
import WeftCore
import WeftCrypto
import WeftTestSupport

/// Golden bytes and hashes of a two-block chain: the canonical `BlockHeader` (docs/encoding.md, "Block
/// types"), its header hash (what orderers sign and the next block chains on) and the RFC 6962 data hash.
/// The header bytes are written by hand; every digest was computed with the `openssl` command, e.g.
///
///     printf '%s' "<header hex>" | xxd -r -p | openssl dgst -sha256          # header hash
///     printf '00%s' "<envelope hex>" | xxd -r -p | openssl dgst -sha256      # Merkle leaf
///     printf '01%s%s' "<leaf 1>" "<leaf 2>" | xxd -r -p | openssl dgst -sha256  # Merkle node
///
/// so nothing here is re-derived with the library's own encoder or hash.
@Suite struct GoldenBlockHeaderTests {
    /// The golden envelope of `GoldenTransactionBytesTests` (WeftCoreTests), as one literal.
    static let envelope = HexLiteral("""
        0000019e000000a7000000096d796368616e6e656c000000403665363230353365386539616639396535353739656661
        6466626439376366316130366235396139666639373965373835643762333533396433613334666237000000074f7267
        314d535000000005300302010100000018000102030405060708090a0b0c0d0e0f10111213141516170000018bcfe568
        7b0000000562617369630000000350757400000002000000016b000000017600000004deadbeef000000cc00000020d6
        538b68c45cb063d0ce73fe7507740f4dfaf6b50907b813b7e8e3c034bac89d0000000562617369630000000100000005
        6261736963000000016b01000000000000000200000001000000010000000562617369630000000161000000016d0000
        0001000000056261736963000000016b0100000000000000020000000100000002000000056261736963000000016b01
        0000000176000000056261736963000000017a00010000000562617369630000000350757400000000000000c8000000
        00000000026f6b00000001000000074f7267324d5350000000023000000000020102000000020a0b
        """).bytes
    /// A second, tiny envelope (the bytes `0a0b`), so block 1 has a two-leaf tree.
    static let second: [UInt8] = [0x0a, 0x0b]

    static let emptyDataHash = HexLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855").bytes
    static let genesisHeaderHex = HexLiteral("""
        0000000000000000                                                            # number 0
        00000020 0000000000000000000000000000000000000000000000000000000000000000   # previousHash: zeros
        00000020 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855   # dataHash: SHA-256("")
        """).bytes
    static let genesisHash = HexLiteral("2a3933152c389ad84c50785966bc1363c1d4a74f83c55cdfcc2ac3dbd26d9ea8").bytes

    /// SHA-256(0x00 ‖ envelope) and SHA-256(0x00 ‖ 0a0b).
    static let leaf1 = HexLiteral("e4e2a31538067bcb12686d2c1d1f3f04401c381b632eea552df4f584764cb6dc").bytes
    static let leaf2 = HexLiteral("2a925bc538fb66da5e85005b20be946c326899e50a05ded698fde80431db9883").bytes
    /// SHA-256(0x01 ‖ leaf1 ‖ leaf2).
    static let twoLeafRoot = HexLiteral("d724a30b7310c2f2a66f4126481d5a191250bc975a5824ee7fbfada802877016").bytes
    static let block1HeaderHex = HexLiteral("""
        0000000000000001                                                            # number 1
        00000020 2a3933152c389ad84c50785966bc1363c1d4a74f83c55cdfcc2ac3dbd26d9ea8   # previousHash: genesis hash
        00000020 d724a30b7310c2f2a66f4126481d5a191250bc975a5824ee7fbfada802877016   # dataHash: two-leaf root
        """).bytes
    static let block1Hash = HexLiteral("474855db4c9a691fdad9ea83a016222cb116b54f29b76ebf1fc04295253892cd").bytes

    @Test func genesisHeaderBytesAndHash() throws {
        let block = Block(number: 0, previousHash: BlockHeader.genesisPreviousHash, data: [])
        #expect(block.header.dataHash == Self.emptyDataHash)
        #expect(block.header.canonicalBytes == Self.genesisHeaderHex)
        #expect(block.header.hash == Self.genesisHash)
        #expect(try BlockHeader(canonicalBytes: Self.genesisHeaderHex) == block.header)
    }

    @Test func dataHashIsTheRFC6962Root() {
        #expect(MerkleTree.leafHash(Self.envelope) == Self.leaf1)
        #expect(Block.dataHash(of: [Self.envelope]) == Self.leaf1, "one leaf: the root is the leaf hash")
        #expect(Block.dataHash(of: [Self.envelope, Self.second]) == Self.twoLeafRoot)
        #expect(Block.dataHash(of: [Self.second, Self.envelope]) != Self.twoLeafRoot, "order matters")
    }

    @Test func chainedHeaderBytesAndHash() throws {
        let block = Block(number: 1, previousHash: Self.genesisHash, data: [Self.envelope, Self.second])
        #expect(block.header.canonicalBytes == Self.block1HeaderHex)
        #expect(block.header.hash == Self.block1Hash)
        #expect(try BlockHeader(canonicalBytes: Self.block1HeaderHex) == block.header)
    }

    /// Metadata is outside the header hash: signatures, flags and the commit hash change nothing.
    @Test func metadataIsOutsideTheHash() {
        var block = Block(number: 1, previousHash: Self.genesisHash, data: [Self.envelope, Self.second])
        block.metadata.validationFlags = [.valid, .mvccReadConflict]
        block.metadata.commitHash = [UInt8](repeating: 0x42, count: 32)
        #expect(block.header.hash == Self.block1Hash)
    }
}
