import WeftCore
import Wire

/// The client side of one connection's handshake, as a value-type state machine (no I/O, clock or
/// crypto): `awaitingHello` → (hello) `proving` → (proof sent) `awaitingServerProof` →
/// (server proof) `verifying` → `open`, or `failed`.
struct ClientHandshake {
    enum State {
        case awaitingHello
        case proving(ServerHello)
        case awaitingServerProof(HandshakeTranscript, server: Caller)
        case verifying
        case open(Caller)
        case failed
    }

    /// What the connection handler must do with an inbound frame.
    enum FrameAction {
        /// Check and authorize the server's identity and sign the transcript, off the event loop;
        /// then call `proofReady`.
        case prove(ServerHello)
        /// Check the server's signature off the event loop; then call `serverVerified`.
        case verifyServer(ServerProof, HandshakeTranscript, server: Caller)
        /// The connection is open: hand the frame to the call table.
        case deliver(Frame)
        /// The handshake failed: report `error` and close.
        case fail(RPCError)
        /// Ignore the frame.
        case ignore
    }

    private(set) var state: State = .awaitingHello

    /// The server once the handshake has completed.
    var server: Caller? {
        if case .open(let server) = state { server } else { nil }
    }

    mutating func received(_ frame: Frame) -> FrameAction {
        if case .open = state { return .deliver(frame) }
        if case .failed = state { return .ignore }
        if frame.kind == .error {
            state = .failed
            let error = RPCError(errorFrameBody: frame.body)
            return .fail(RPCError(error.code, "the server refused the handshake: \(error.message)"))
        }
        switch (state, frame.messageType) {
        case (.awaitingHello, .serverHello):
            do {
                let hello = try ServerHello(canonicalBytes: frame.body)
                guard hello.version == wireProtocolVersion else {
                    state = .failed
                    return .fail(RPCError(.protocolViolation, "\(WireError.unsupportedVersion(hello.version, supported: wireProtocolVersion))"))
                }
                state = .proving(hello)
                return .prove(hello)
            } catch {
                state = .failed
                return .fail(RPCError(.protocolViolation, "malformed serverHello: \(error)"))
            }
        case (.awaitingServerProof(let transcript, let server), .serverProof):
            do {
                let proof = try ServerProof(canonicalBytes: frame.body)
                state = .verifying
                return .verifyServer(proof, transcript, server: server)
            } catch {
                state = .failed
                return .fail(RPCError(.protocolViolation, "malformed serverProof: \(error)"))
            }
        default:
            state = .failed
            return .fail(RPCError(.protocolViolation, "unexpected \(frame) during the handshake"))
        }
    }

    /// The client's proof was built (or building it failed): returns the proof to send, or nil
    /// when the handshake failed or the state moved on.
    mutating func proofReady(_ result: Result<(ClientProof, server: Caller), RPCError>) -> Result<ClientProof, RPCError>? {
        guard case .proving(let hello) = state else { return nil }
        switch result {
        case .success(let (proof, server)):
            state = .awaitingServerProof(HandshakeTranscript(hello: hello, proof: proof), server: server)
            return .success(proof)
        case .failure(let error):
            state = .failed
            return .failure(error)
        }
    }

    /// The server's signature was checked.
    mutating func serverVerified(_ result: Result<Caller, RPCError>) -> Result<Caller, RPCError>? {
        guard case .verifying = state else { return nil }
        switch result {
        case .success(let server): state = .open(server)
        case .failure: state = .failed
        }
        return result
    }

    mutating func fail() { state = .failed }
}
