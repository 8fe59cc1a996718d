import NIOCore
import NIOPosix
import WeftCore
import WeftCrypto
import Wire

/// What one side of a connection proves itself with: its MSP identity and the private key of its
/// certificate. Servers and clients both hold one (the handshake is mutual).
public struct RPCCredentials: Sendable {
    /// The identity presented in the handshake.
    public let identity: SerializedIdentity
    /// The parsed certificate of `identity`.
    public let certificate: Certificate
    private let signingKey: P256SigningKey

    /// Creates credentials; throws if `signingKey` is not the key of `certificate`.
    public init(mspID: String, certificate: Certificate, signingKey: P256SigningKey) throws(RPCError) {
        guard certificate.publicKey == signingKey.publicKey else {
            throw RPCError(.internal, "the signing key does not match the public key of \(certificate)")
        }
        self.identity = SerializedIdentity(mspID: mspID, certificate: certificate.derRepresentation)
        self.certificate = certificate
        self.signingKey = signingKey
    }

    /// Signs handshake bytes (ECDSA P-256 over SHA-256, DER, low S).
    func sign(_ bytes: [UInt8]) throws(RPCError) -> [UInt8] {
        do {
            return try signingKey.signature(for: bytes)
        } catch {
            throw RPCError(.internal, "could not sign the handshake: \(error)")
        }
    }
}

/// The crypto steps of the handshake, shared by server and client. Run off the event loops.
enum HandshakeVerifier {
    /// Runs handshake crypto (signing, verification, the authorizer) on NIO's shared blocking thread
    /// pool, not on an event loop and not on Swift's cooperative pool, so that busy handler tasks
    /// cannot delay handshakes past their timeout. The future completes on `eventLoop` with `body`'s
    /// result, or with an `.internal` failure if the pool has been shut down.
    static func run<T: Sendable>(
        on eventLoop: EventLoop, _ body: @escaping @Sendable () -> Result<T, RPCError>
    ) -> EventLoopFuture<Result<T, RPCError>> {
        NIOThreadPool.singleton.runIfActive(eventLoop: eventLoop, body).recover { error in
            .failure(RPCError(.internal, "the handshake could not run: \(error)"))
        }
    }

    /// Parses the certificate of a presented identity.
    static func certificate(of identity: SerializedIdentity) -> Result<Certificate, RPCError> {
        do {
            return .success(try Certificate(derRepresentation: identity.certificate))
        } catch {
            return .failure(RPCError(.unauthenticated, "the certificate presented for \(identity.mspID) is not a valid X.509 certificate: \(error)"))
        }
    }

    /// Checks that `signature` over `signedBytes` verifies with `certificate`'s key.
    static func checkSignature(
        _ signature: [UInt8], over signedBytes: [UInt8], identity: SerializedIdentity, certificate: Certificate
    ) -> Result<Void, RPCError> {
        guard certificate.publicKey.isValidSignature(signature, for: signedBytes) else {
            return .failure(RPCError(.unauthenticated, "the handshake signature of \(identity.mspID) (\(certificate.subject)) does not verify with its certificate's key"))
        }
        return .success(())
    }

    /// Asks the authorizer about an identity whose certificate has been parsed.
    static func admit(_ identity: SerializedIdentity, certificate: Certificate, authorize: Authorizer) -> Result<Caller, RPCError> {
        authorize(identity, certificate).mapError { refusal in
            RPCError(.unauthenticated, "identity \(identity.mspID) (\(certificate.subject)) refused: \(refusal.reason)")
        }
    }

    /// Server side: the client's proof verifies and the authorizer accepts the client.
    static func verifyClient(_ proof: ClientProof, transcript: HandshakeTranscript, authorize: Authorizer) -> Result<Caller, RPCError> {
        certificate(of: proof.identity).flatMap { certificate in
            checkSignature(proof.signature, over: transcript.clientSignedBytes, identity: proof.identity, certificate: certificate)
                .flatMap { admit(proof.identity, certificate: certificate, authorize: authorize) }
        }
    }

    /// 32 fresh random bytes for a challenge.
    static func challenge() throws(RPCError) -> [UInt8] {
        do {
            return try SecureRandom.bytes(count: handshakeChallengeLength)
        } catch {
            throw RPCError(.internal, "could not draw a handshake challenge: \(error)")
        }
    }
}
