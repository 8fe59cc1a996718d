import WeftCore
import Wire

/// The server side of one connection's handshake, as a value-type state machine: events go in, the
/// actions to perform come out; `ServerConnectionHandler` executes them. No I/O, clock or crypto here.
///
/// States: `idle` → (hello sent) `awaitingProof` → (client proof received) `verifying` →
/// (verified) `open`, or `closed` after any refusal. Only `open` admits calls.
struct ServerHandshake {
    enum State {
        case idle
        case awaitingProof(ServerHello)
        case verifying(ServerHello)
        case open(Caller)
        case closed
    }

    /// What the connection handler must do with an inbound frame.
    enum FrameAction {
        /// Check the proof's signature and ask the authorizer, off the event loop; then call `verified`.
        case verify(ServerHello, ClientProof)
        /// The connection is open: serve the frame on behalf of `caller`.
        case serve(Frame, Caller)
        /// Send an error frame for the request and close the connection.
        case refuseAndClose(RPCError, requestID: UInt64)
        /// Ignore the frame (the connection is already closing).
        case ignore
    }

    /// What the connection handler must do once verification finished.
    enum VerifiedAction {
        /// Send the server's proof; the connection is open.
        case sendProof(ServerProof, Caller)
        /// Send an error frame and close.
        case refuseAndClose(RPCError)
        /// The connection closed meanwhile; do nothing.
        case ignore
    }

    private(set) var state: State = .idle

    /// The caller once the handshake has completed.
    var caller: Caller? {
        if case .open(let caller) = state { caller } else { nil }
    }

    /// Records that `hello` was sent; the handshake waits for the client's proof.
    mutating func helloSent(_ hello: ServerHello) {
        guard case .idle = state else { return }
        state = .awaitingProof(hello)
    }

    /// An inbound frame arrived.
    mutating func received(_ frame: Frame) -> FrameAction {
        switch state {
        case .idle:
            state = .closed
            return .refuseAndClose(
                RPCError(.unauthenticated, "\(frame) arrived before the server hello was sent"), requestID: frame.requestID
            )
        case .awaitingProof where frame.messageType != .clientProof || frame.kind != .request:
            state = .closed
            return .refuseAndClose(
                RPCError(.unauthenticated, "\(frame) arrived before the handshake completed; send clientProof first"),
                requestID: frame.requestID
            )
        case .awaitingProof(let hello):
            let proof: ClientProof
            do {
                proof = try ClientProof(canonicalBytes: frame.body)
            } catch {
                state = .closed
                return .refuseAndClose(RPCError(.unauthenticated, "malformed clientProof: \(error)"), requestID: frame.requestID)
            }
            guard proof.version == wireProtocolVersion else {
                state = .closed
                let error = WireError.unsupportedVersion(proof.version, supported: wireProtocolVersion)
                return .refuseAndClose(RPCError(.unauthenticated, "\(error)"), requestID: frame.requestID)
            }
            state = .verifying(hello)
            return .verify(hello, proof)
        case .verifying:
            state = .closed
            return .refuseAndClose(
                RPCError(.unauthenticated, "\(frame) arrived while the handshake was being verified; wait for serverProof"),
                requestID: frame.requestID
            )
        case .open(let caller):
            if let type = frame.messageType, type.isHandshake {
                state = .closed
                return .refuseAndClose(RPCError(.protocolViolation, "\(type) after the handshake completed"), requestID: frame.requestID)
            }
            return .serve(frame, caller)
        case .closed:
            return .ignore
        }
    }

    /// Verification of the client's proof finished with `result` (the caller and the server's
    /// signature, or the reason for refusal).
    mutating func verified(_ result: Result<(Caller, [UInt8]), RPCError>) -> VerifiedAction {
        guard case .verifying = state else { return .ignore }
        switch result {
        case .success(let (caller, signature)):
            state = .open(caller)
            return .sendProof(ServerProof(signature: signature), caller)
        case .failure(let error):
            state = .closed
            return .refuseAndClose(error)
        }
    }

    /// The connection is closing; nothing further is admitted.
    mutating func close() { state = .closed }
}
