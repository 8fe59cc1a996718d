import WeftCore

/// The protocol version spoken by this build. Both sides must speak the same version.
public let wireProtocolVersion: UInt16 = 1

/// Length of each side's handshake challenge.
public let handshakeChallengeLength = 32

/// Server → client, the first frame on every connection (`MessageType.serverHello`, request id 0).
///
/// Layout: `version: u16`, `challenge: raw[32]`, `identity: SerializedIdentity`.
public struct ServerHello: Hashable, Sendable, CanonicalCodable {
    /// The server's protocol version.
    public var version: UInt16
    /// Fresh random bytes the client must sign.
    public var challenge: [UInt8]
    /// Who the server claims to be; proven by `ServerProof`.
    public var identity: SerializedIdentity

    /// Creates a hello; `challenge` must be 32 fresh random bytes.
    public init(version: UInt16 = wireProtocolVersion, challenge: [UInt8], identity: SerializedIdentity) {
        self.version = version
        self.challenge = challenge
        self.identity = identity
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(version)
        writer.write(raw: challenge)
        writer.write(identity)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        version = try reader.readUInt16()
        challenge = try reader.readRaw(count: handshakeChallengeLength)
        identity = try reader.read()
    }
}

/// Client → server: the client's identity, its challenge for the server, and its signature over
/// the `HandshakeTranscript` with context `HandshakeTranscript.clientContext`.
///
/// Layout: `version: u16`, `identity: SerializedIdentity`, `challenge: raw[32]`, `signature: bytes`.
public struct ClientProof: Hashable, Sendable, CanonicalCodable {
    /// The client's protocol version.
    public var version: UInt16
    /// Who the client claims to be.
    public var identity: SerializedIdentity
    /// Fresh random bytes the server must sign.
    public var challenge: [UInt8]
    /// ECDSA P-256 (SHA-256, DER) signature by the client's key over the transcript's signed bytes.
    public var signature: [UInt8]

    /// Creates a proof; `challenge` must be 32 fresh random bytes.
    public init(version: UInt16 = wireProtocolVersion, identity: SerializedIdentity, challenge: [UInt8], signature: [UInt8]) {
        self.version = version
        self.identity = identity
        self.challenge = challenge
        self.signature = signature
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(version)
        writer.write(identity)
        writer.write(raw: challenge)
        writer.write(lengthPrefixed: signature)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        version = try reader.readUInt16()
        identity = try reader.read()
        challenge = try reader.readRaw(count: handshakeChallengeLength)
        signature = try reader.readLengthPrefixed()
    }
}

/// Server → client, the last handshake frame: the server's signature over the transcript with
/// context `HandshakeTranscript.serverContext`. Layout: `signature: bytes`.
public struct ServerProof: Hashable, Sendable, CanonicalCodable {
    /// ECDSA P-256 (SHA-256, DER) signature by the server's key.
    public var signature: [UInt8]

    /// Creates a proof from the server's signature.
    public init(signature: [UInt8]) { self.signature = signature }

    public func encode(to writer: inout ByteWriter) { writer.write(lengthPrefixed: signature) }

    public init(from reader: inout ByteReader) throws(DecodingError) { signature = try reader.readLengthPrefixed() }
}

/// What each side signs during the handshake: both challenges and both identities, under a
/// context string that differs per side, so a signature can be replayed neither to another
/// connection (fresh challenges), nor to another server (its identity is included), nor as the
/// other side's proof (the context).
///
/// Signed bytes: the canonical encoding `context: string`, `serverChallenge: raw[32]`,
/// `serverIdentity: SerializedIdentity`, `clientChallenge: raw[32]`, `clientIdentity: SerializedIdentity`.
public struct HandshakeTranscript: Hashable, Sendable, CanonicalEncodable {
    /// The context of the client's signature.
    public static let clientContext = "weft-wire/1 client proof"
    /// The context of the server's signature.
    public static let serverContext = "weft-wire/1 server proof"

    /// The 32 bytes the server sent in `ServerHello`.
    public var serverChallenge: [UInt8]
    /// The identity the server claimed in `ServerHello`.
    public var serverIdentity: SerializedIdentity
    /// The 32 bytes the client sent in `ClientProof`.
    public var clientChallenge: [UInt8]
    /// The identity the client claimed in `ClientProof`.
    public var clientIdentity: SerializedIdentity

    /// Creates a transcript from both challenges and both identities.
    public init(
        serverChallenge: [UInt8], serverIdentity: SerializedIdentity,
        clientChallenge: [UInt8], clientIdentity: SerializedIdentity
    ) {
        self.serverChallenge = serverChallenge
        self.serverIdentity = serverIdentity
        self.clientChallenge = clientChallenge
        self.clientIdentity = clientIdentity
    }

    /// The transcript both sides build from `hello` and `proof`.
    public init(hello: ServerHello, proof: ClientProof) {
        self.init(
            serverChallenge: hello.challenge, serverIdentity: hello.identity,
            clientChallenge: proof.challenge, clientIdentity: proof.identity
        )
    }

    /// The bytes the client signs.
    public var clientSignedBytes: [UInt8] { signedBytes(context: Self.clientContext) }

    /// The bytes the server signs.
    public var serverSignedBytes: [UInt8] { signedBytes(context: Self.serverContext) }

    public func encode(to writer: inout ByteWriter) {
        writer.write(raw: serverChallenge)
        writer.write(serverIdentity)
        writer.write(raw: clientChallenge)
        writer.write(clientIdentity)
    }

    private func signedBytes(context: String) -> [UInt8] {
        var writer = ByteWriter(capacity: 256)
        writer.write(context)
        encode(to: &writer)
        return writer.bytes
    }
}
