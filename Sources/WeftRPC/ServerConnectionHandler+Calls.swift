import NIOCore
import WeftCore
import Wire

extension ServerConnectionHandler {
    // MARK: Serving frames of an open connection

    /// Serves one frame of an authenticated connection.
    func serve(_ frame: Frame, caller: Caller) {
        switch frame.kind {
        case .request, .streamRequest:
            startCall(frame, caller: caller)
        case .cancel:
            cancelCall(requestID: frame.requestID)
        case .credit:
            do {
                let credit = try StreamCredit(canonicalBytes: frame.body)
                grantCredit(Int(credit.bytes), requestID: frame.requestID)
            } catch {
                logger.notice("closing connection: malformed credit frame: \(error)")
                refuseAndClose(RPCError(.protocolViolation, "malformed credit body: \(error)"), requestID: frame.requestID, typeCode: frame.typeCode)
            }
        case .response, .streamItem, .streamEnd, .error:
            logger.notice("closing connection: a client sent a \(frame.kind) frame")
            refuseAndClose(RPCError(.protocolViolation, "clients may not send \(frame.kind) frames"), requestID: frame.requestID, typeCode: frame.typeCode)
        }
    }

    private func startCall(_ frame: Frame, caller: Caller) {
        let requestID = frame.requestID
        guard !isDraining else {
            refuseCall(RPCError(.unavailable, "the server is shutting down; retry on another node"), requestID: requestID, typeCode: frame.typeCode)
            return
        }
        guard calls[requestID] == nil else {
            refuseCall(RPCError(.protocolViolation, "request id \(requestID) is already in flight"), requestID: requestID, typeCode: frame.typeCode)
            return
        }
        guard let entry = environment.routes.entry(for: frame.typeCode) else {
            let name = frame.messageType.map { "\($0) (\(frame.typeCode))" } ?? "\(frame.typeCode)"
            refuseCall(RPCError(.unknownMessageType, "this server has no handler for message type \(name)"), requestID: requestID, typeCode: frame.typeCode)
            return
        }
        guard entry.allowed.permits(caller) else {
            let name = frame.messageType.map { "\($0)" } ?? "\(frame.typeCode)"
            logger.info("refused \(name) from \(caller): requires \(entry.allowed)")
            refuseCall(
                RPCError(.permissionDenied, "\(name) requires \(entry.allowed); \(caller.mspID) identity has role \(caller.role)"),
                requestID: requestID, typeCode: frame.typeCode
            )
            return
        }
        let isStreamRoute = if case .stream = entry.route { true } else { false }
        guard isStreamRoute == (frame.kind == .streamRequest) else {
            let name = frame.messageType.map { "\($0)" } ?? "\(frame.typeCode)"
            let style = isStreamRoute ? "a server stream; open it with a stream request" : "unary; send it as a request"
            refuseCall(RPCError(.protocolViolation, "\(name) is \(style)"), requestID: requestID, typeCode: frame.typeCode)
            return
        }
        guard let context, let loopBound else { return }
        let eventLoop = context.eventLoop
        let body = frame.body
        let route = frame.typeCode
        let metrics = environment.metrics
        let arrived = NIODeadline.now()
        var call = Call(typeCode: frame.typeCode, isStream: false)
        let task: Task<Void, Never>
        switch entry.route {
        case .unary(let handler):
            let parent = RPCTracing.incomingContext(frame)
            task = Task {
                let outcome: Result<[UInt8], RPCError>
                if let parent {
                    outcome = await RPCTracing.serve(route, caller: caller, parent: parent) { await RPCRoutes.invoke(handler, body, caller) }
                } else {
                    outcome = await RPCRoutes.invoke(handler, body, caller)
                }
                metrics.recordDuration(route: route, nanoseconds: (NIODeadline.now() - arrived).nanoseconds)
                metrics.requestEnded(route: route, code: outcome.failureCode)
                eventLoop.execute { loopBound.value.finishCall(requestID: requestID, outcome: outcome) }
            }
        case .stream(let handler):
            call = Call(typeCode: frame.typeCode, isStream: true)
            let writer = RPCStreamWriter(eventLoop: eventLoop, connection: loopBound, requestID: requestID)
            task = Task {
                let outcome: Result<[UInt8], RPCError>
                metrics.streamChanged(route: route, by: 1)
                do {
                    try await handler(body, caller, writer)
                    outcome = .success([])
                } catch {
                    outcome = .failure(RPCError.from(handlerError: error))
                }
                metrics.streamChanged(route: route, by: -1)
                metrics.requestEnded(route: route, code: outcome.failureCode)
                eventLoop.execute { loopBound.value.finishCall(requestID: requestID, outcome: outcome) }
            }
        }
        call.task = task
        calls[requestID] = call
    }

    /// Answers a call with `error` without starting it, and counts it.
    private func refuseCall(_ error: RPCError, requestID: UInt64, typeCode: UInt16) {
        environment.metrics.requestEnded(route: typeCode, code: error.code)
        sendError(error, requestID: requestID, typeCode: typeCode)
    }

    /// A handler task finished: sends its response, stream end or error, unless the call was
    /// cancelled meanwhile.
    func finishCall(requestID: UInt64, outcome: Result<[UInt8], RPCError>) {
        guard let call = calls.removeValue(forKey: requestID) else { return }
        guard !call.isCancelled else {
            resumeReadingIfPossible()
            if isDraining { closeIfDrained() }
            return
        }
        let ended = RPCError(.internal, "the stream handler returned while an item was still being sent")
        for (_, promise) in call.pending { promise.fail(ended) }
        switch outcome {
        case .success where call.isStream:
            write(Frame(typeCode: call.typeCode, requestID: requestID, kind: .streamEnd))
        case .success(let body):
            let frame = Frame(typeCode: call.typeCode, requestID: requestID, kind: .response, body: body)
            if frame.lengthFieldValue > maximumFrameLength {
                let error = RPCError(.frameTooLarge, "the response of \(body.count) bytes exceeds the maximum frame of \(maximumFrameLength) bytes")
                logger.error("\(error.message)")
                sendError(error, requestID: requestID, typeCode: call.typeCode)
            } else {
                write(frame)
            }
        case .failure(let error):
            sendError(error, requestID: requestID, typeCode: call.typeCode)
        }
        resumeReadingIfPossible()
        if isDraining { closeIfDrained() }
    }

    /// The caller gave up: the handler is cancelled and nothing more is sent, but the call holds its
    /// slot (`maximumConcurrentCallsPerConnection`) until the handler has returned, so a client cannot
    /// start unbounded work by cancelling calls as fast as it makes them.
    private func cancelCall(requestID: UInt64) {
        guard var call = calls[requestID], !call.isCancelled else { return }
        call.task?.cancel()
        let cancelled = RPCError(.cancelled, "the caller cancelled request \(requestID)")
        for (_, promise) in call.pending { promise.fail(cancelled) }
        call.pending = []
        call.isCancelled = true
        calls[requestID] = call
    }

    // MARK: Streams

    private func grantCredit(_ bytes: Int, requestID: UInt64) {
        guard var call = calls[requestID], call.isStream, !call.isCancelled else { return }
        call.credit = min(call.credit + bytes, Int(UInt32.max) * 4)
        calls[requestID] = call
        flushPendingStreamItems(requestID: requestID)
    }

    /// Queues one stream item; the returned future succeeds once the item has been written.
    func sendStreamItem(_ item: [UInt8], requestID: UInt64, eventLoop: EventLoop) -> EventLoopFuture<Void> {
        guard let context, var call = calls[requestID], call.isStream, !call.isCancelled, !isClosing else {
            return eventLoop.makeFailedFuture(RPCError(.cancelled, "stream \(requestID) was cancelled or its connection closed"))
        }
        let frame = Frame(typeCode: call.typeCode, requestID: requestID, kind: .streamItem, body: item)
        guard frame.lengthFieldValue <= maximumFrameLength else {
            return context.eventLoop.makeFailedFuture(
                RPCError(.frameTooLarge, "a stream item of \(item.count) bytes exceeds the maximum frame of \(maximumFrameLength) bytes")
            )
        }
        let promise = context.eventLoop.makePromise(of: Void.self)
        call.pending.append((frame, promise))
        calls[requestID] = call
        flushPendingStreamItems(requestID: requestID)
        return promise.futureResult
    }

    /// Writes the call's waiting items while it has credit and the channel is writable.
    func flushPendingStreamItems(requestID: UInt64) {
        guard let context, var call = calls[requestID], !call.pending.isEmpty else { return }
        while call.credit > 0, context.channel.isWritable, !call.pending.isEmpty {
            let (frame, promise) = call.pending.removeFirst()
            call.credit -= frame.body.count + Frame.headerLength
            outbound?.write(frame)
            promise.succeed()
        }
        calls[requestID] = call
    }

    // MARK: Shutdown

    /// The server is shutting down: refuse new calls, end streams, close once in-flight unary calls
    /// have finished.
    func beginDraining() {
        guard !isDraining else { return }
        isDraining = true
        guard isOpen || isVerifying else {
            context?.close(promise: nil)
            return
        }
        let shuttingDown = RPCError(.unavailable, "the server is shutting down; reconnect to another node")
        for (requestID, call) in calls where call.isStream && !call.isCancelled {
            calls[requestID] = nil
            call.task?.cancel()
            for (_, promise) in call.pending { promise.fail(shuttingDown) }
            sendError(shuttingDown, requestID: requestID, typeCode: call.typeCode)
        }
        closeIfDrained()
    }

    /// Closes the connection when draining and nothing is in flight.
    func closeIfDrained() {
        guard isDraining, calls.isEmpty, !isVerifying, let context else { return }
        isClosing = true
        context.flush()   // the last answers may wait for a scheduled flush; close would drop them
        context.close(promise: nil)
    }
}

extension Result where Failure == RPCError {
    /// The error's code, or nil for a success.
    var failureCode: RPCError.Code? {
        if case .failure(let error) = self { error.code } else { nil }
    }
}
