/// One running call or create: its code, stack, memory, program counter and gas. The interpreter
/// keeps these in locals while it runs and stores them back here when the frame ends or suspends
/// for a nested call, so nested calls need no native recursion (1,024 levels never touch the
/// thread's stack).
final class ExecutionFrame {
    let message: Message
    let code: AnalyzedCode
    /// 1,024 words; `stackCount` of them are in use.
    let stack: UnsafeMutablePointer<UInt256>
    var stackCount = 0
    var memory = Memory()
    var pc = 0
    var gas: Int
    /// SSTORE refunds of this frame and its successful children.
    var refund = 0
    /// Output of the last nested call (RETURNDATASIZE, RETURNDATACOPY).
    var returnData: [UInt8] = []
    /// Where a suspended CALL wants its output copied.
    var pendingOutputOffset = 0
    var pendingOutputSize = 0
    /// The host snapshot to revert to if the frame fails.
    let snapshot: Int

    init(message: Message, code: AnalyzedCode, snapshot: Int) {
        self.message = message
        self.code = code
        self.gas = message.gas
        self.snapshot = snapshot
        stack = .allocate(capacity: Interpreter.stackLimit)
    }

    deinit {
        stack.deallocate()
        memory.release()
    }

    /// Continues after a nested message finished: pushes its status or address, copies its output,
    /// returns its unused gas and, when it succeeded, takes over its refund.
    func resume(after child: Message.Kind, result: ExecutionResult) {
        gas += result.gasLeft
        if result.status == .success { refund += result.gasRefund }
        let pushed: UInt256
        if child.isCreate {
            returnData = result.status == .revert ? result.output : []
            pushed = result.status == .success ? (result.createdAddress?.word ?? .zero) : .zero
        } else {
            returnData = result.output
            let count = min(pendingOutputSize, result.output.count)
            if count > 0 {
                result.output.withUnsafeBytes { output in
                    memory.pointer(pendingOutputOffset).copyMemory(from: output.baseAddress.unsafelyUnwrapped, byteCount: count)
                }
            }
            pushed = result.status == .success ? .one : .zero
        }
        stack[stackCount] = pushed
        stackCount += 1
    }
}

/// What running a frame produced: its end, or a nested message to run before it can continue.
enum FrameOutcome {
    case finished(ExecutionResult)
    case call(Message)
}
