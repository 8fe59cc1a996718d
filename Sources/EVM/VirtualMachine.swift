import WeftCrypto

/// Runs a message and every message nested in it. Frames live on an explicit stack (an array), not
/// on the thread's stack: a CALL suspends the running frame, the child runs, and the parent resumes
/// with the child's result. Each frame takes a host snapshot when it starts and reverts to it when
/// it fails or reverts.
public final class VirtualMachine {
    /// The state the code sees.
    public let host: any Host
    private let cache: CodeAnalysisCache

    /// A machine over `host`; contract analyses are shared through `cache`.
    public init(host: any Host, cache: CodeAnalysisCache = .shared) {
        self.host = host
        self.cache = cache
    }

    /// Runs `message` to its end. State changes stay in the host (reverted there if the message
    /// failed); the result says how it ended.
    public func execute(_ message: Message) -> ExecutionResult {
        var message = message
        // Keeps every gas sum (stipends included) far from Int overflow.
        message.gas = min(max(message.gas, 0), Int.max / 4)
        var frames: [ExecutionFrame] = []
        switch enter(message) {
        case .done(let result): return result
        case .frame(let frame): frames.append(frame)
        }
        while let frame = frames.last {
            switch Interpreter.run(frame, host: host) {
            case .call(let child):
                switch enter(child) {
                case .done(let result): frame.resume(after: child.kind, result: result)
                case .frame(let childFrame): frames.append(childFrame)
                }
            case .finished(let outcome):
                frames.removeLast()
                let result = leave(frame, outcome)
                guard let parent = frames.last else { return result }
                parent.resume(after: frame.message.kind, result: result)
            }
        }
        return .failure(.invalidOpcode) // not reached: the loop returns when the first frame ends
    }

    private enum Entry {
        case done(ExecutionResult)
        case frame(ExecutionFrame)
    }

    /// Checks depth and balance, moves value, and either finishes the message at once (precompile,
    /// account without code, failed check) or opens a frame for it.
    private func enter(_ message: Message) -> Entry {
        if message.depth > Interpreter.stackLimit {
            return .done(ExecutionResult(status: .callDepthExceeded, gasLeft: message.gas))
        }
        if message.transfersValue && host.balance(of: message.sender) < message.value {
            return .done(ExecutionResult(status: .insufficientBalance, gasLeft: message.gas))
        }
        if message.kind.isCreate { return enterCreate(message) }

        let snapshot = host.snapshot()
        if message.transfersValue {
            _ = host.transfer(value: message.value, from: message.sender, to: message.recipient)
        }
        if Precompiles.contains(message.codeAddress) {
            let result = Precompiles.run(message.codeAddress, input: message.input, gas: message.gas)
            if result.status != .success { host.revert(to: snapshot) }
            return .done(result)
        }
        let codeHash = host.codeHash(of: message.codeAddress)
        let codeSize = codeHash.isZero ? 0 : host.codeSize(of: message.codeAddress)
        if codeSize == 0 {
            return .done(ExecutionResult(status: .success, gasLeft: message.gas))
        }
        let code = cache.analysis(codeHash: codeHash) { host.code(of: message.codeAddress) }
        return .frame(ExecutionFrame(message: message, code: code, snapshot: snapshot))
    }

    private func enterCreate(_ original: Message) -> Entry {
        var message = original
        let nonce = host.nonce(of: message.sender)
        if nonce == .max { return .done(ExecutionResult(status: .nonceOverflow, gasLeft: message.gas)) }
        host.incrementNonce(message.sender)
        let address = message.kind == .create2
            ? Address.created2(by: message.sender, salt: message.salt, initCodeHash: Keccak256.hash(message.input))
            : Address.created(by: message.sender, nonce: nonce)
        message.recipient = address
        message.codeAddress = address
        _ = host.accessAccount(address)
        let snapshot = host.snapshot()
        guard host.createAccount(address) else {
            host.revert(to: snapshot)
            return .done(.failure(.createCollision))
        }
        if !message.value.isZero {
            _ = host.transfer(value: message.value, from: message.sender, to: address)
        }
        if message.input.isEmpty {
            return .done(ExecutionResult(status: .success, gasLeft: message.gas, createdAddress: address))
        }
        return .frame(ExecutionFrame(message: message, code: AnalyzedCode(message.input), snapshot: snapshot))
    }

    /// Finishes a frame: deposits a created contract's code, and reverts the frame's state changes
    /// unless it succeeded.
    private func leave(_ frame: ExecutionFrame, _ outcome: ExecutionResult) -> ExecutionResult {
        var result = outcome
        if frame.message.kind.isCreate && result.status == .success {
            let code = result.output
            let depositCost = GasSchedule.codeDepositPerByte * code.count
            if code.count > GasSchedule.maxCodeSize {
                result = .failure(.contractSizeLimitExceeded)
            } else if code.first == 0xef {
                result = .failure(.invalidCodePrefix)
            } else if result.gasLeft < depositCost {
                result = .failure(.outOfGas)
            } else {
                result.gasLeft -= depositCost
                result.createdAddress = frame.message.recipient
                host.setCode(code, of: frame.message.recipient)
            }
        }
        if result.status != .success {
            host.revert(to: frame.snapshot)
            result.gasRefund = 0
            result.createdAddress = nil
        }
        return result
    }
}
