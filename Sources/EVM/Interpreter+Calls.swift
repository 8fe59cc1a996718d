/// SSTORE's gas and refund, and the preparation of nested calls and creates. A prepared message is
/// handed to `VirtualMachine`, which runs it and resumes the frame (`ExecutionFrame.resume`).
extension Interpreter {
    /// A nested message ready to run, or the reason the current frame fails.
    enum Preparation {
        case failure(StatusCode)
        case message(Message)
    }

    /// SSTORE under EIP-2200 / EIP-2929 / EIP-3529; returns a failure status or nil.
    static func storeSlot(_ frame: ExecutionFrame, _ host: any Host, key: UInt256, value: UInt256, gas: inout Int) -> StatusCode? {
        if gas <= GasSchedule.sstoreSentry { return .outOfGas }
        let address = frame.message.recipient
        var refund = 0
        let update = host.storeStorage(address, key: key, value: value)
        var cost = update.access == .cold ? GasSchedule.coldSload : 0
        let original = update.original, current = update.current
        if current == value {
            cost &+= GasSchedule.warmAccess
        } else if original == current {
            if original.isZero {
                cost &+= GasSchedule.sstoreSet
            } else {
                cost &+= GasSchedule.sstoreReset
                if value.isZero { refund = GasSchedule.sstoreClearsRefund }
            }
        } else {
            cost &+= GasSchedule.warmAccess
            if !original.isZero {
                if current.isZero {
                    refund -= GasSchedule.sstoreClearsRefund
                } else if value.isZero {
                    refund += GasSchedule.sstoreClearsRefund
                }
            }
            if original == value {
                refund += original.isZero
                    ? GasSchedule.sstoreSet - GasSchedule.warmAccess
                    : GasSchedule.sstoreReset - GasSchedule.warmAccess
            }
        }
        gas &-= cost
        if gas < 0 { return .outOfGas }
        frame.refund += refund
        return nil
    }

    /// CALL (0xf1), CALLCODE (0xf2), DELEGATECALL (0xf4), STATICCALL (0xfa): pops the arguments,
    /// charges access, memory, value and new-account gas, and passes on all but 1/64 of what is left
    /// (EIP-150), plus the 2,300 stipend when value moves.
    static func prepareCall(
        _ frame: ExecutionFrame, _ host: any Host, op: UInt8, sp: inout Int, gas: inout Int, memory: inout Memory
    ) -> Preparation {
        let stack = frame.stack
        let message = frame.message
        let requestedGas = stack[sp - 1]
        let target = Address(word: stack[sp - 2])
        let carriesValue = op == 0xf1 || op == 0xf2
        let value = carriesValue ? stack[sp - 3] : .zero
        let arguments = carriesValue ? sp - 4 : sp - 3
        let inputOffset = stack[arguments], inputSize = stack[arguments - 1]
        let outputOffset = stack[arguments - 2], outputSize = stack[arguments - 3]
        sp -= carriesValue ? 7 : 6

        if op == 0xf1 && !value.isZero && message.isStatic { return .failure(.staticStateChange) }
        if host.accessAccount(target) == .cold { gas &-= GasSchedule.coldAccountSurcharge }
        guard gas >= 0,
              let input = chargeMemory(&memory, &gas, inputOffset, inputSize),
              let output = chargeMemory(&memory, &gas, outputOffset, outputSize)
        else { return .failure(.outOfGas) }
        if !value.isZero {
            gas &-= GasSchedule.callValue
            if op == 0xf1 && host.accountIsEmpty(target) { gas &-= GasSchedule.newAccount }
        }
        if gas < 0 { return .failure(.outOfGas) }

        let available = gas - gas / 64
        var childGas = requestedGas.clamped(to: available) ?? available
        gas -= childGas
        if !value.isZero { childGas += GasSchedule.callStipend }
        frame.pendingOutputOffset = output.offset
        frame.pendingOutputSize = output.size

        let self_ = message.recipient
        var child: Message
        switch op {
        case 0xf1:
            child = Message(kind: .call, gas: childGas, recipient: target, sender: self_, value: value)
        case 0xf2:
            child = Message(kind: .callCode, gas: childGas, recipient: self_, sender: self_, codeAddress: target, value: value)
        case 0xf4:
            child = Message(kind: .delegateCall, gas: childGas, recipient: self_, sender: message.sender,
                            codeAddress: target, value: message.value)
        default:
            child = Message(kind: .staticCall, gas: childGas, recipient: target, sender: self_)
        }
        child.isStatic = message.isStatic || op == 0xfa
        child.depth = message.depth + 1
        child.input = memory.bytes(at: input.offset, count: input.size)
        return .message(child)
    }

    /// CREATE (0xf0) and CREATE2 (0xf5): pops the arguments, charges initcode (EIP-3860) and, for
    /// CREATE2, hashing gas, and passes on all but 1/64 of the gas left.
    static func prepareCreate(_ frame: ExecutionFrame, op: UInt8, sp: inout Int, gas: inout Int, memory: inout Memory) -> Preparation {
        let stack = frame.stack
        let message = frame.message
        if message.isStatic { return .failure(.staticStateChange) }
        let value = stack[sp - 1], offset = stack[sp - 2], size = stack[sp - 3]
        let salt = op == 0xf5 ? stack[sp - 4] : .zero
        sp -= op == 0xf5 ? 4 : 3
        guard let initCode = chargeMemory(&memory, &gas, offset, size) else { return .failure(.outOfGas) }
        if initCode.size > GasSchedule.maxInitCodeSize { return .failure(.outOfGas) }
        let words = GasSchedule.words(initCode.size)
        gas &-= GasSchedule.initCodePerWord &* words
        if op == 0xf5 { gas &-= GasSchedule.keccakPerWord &* words }
        if gas < 0 { return .failure(.outOfGas) }
        let childGas = gas - gas / 64
        gas -= childGas
        frame.returnData = []
        var child = Message(
            kind: op == 0xf5 ? .create2 : .create, gas: childGas, recipient: Address(0), sender: message.recipient,
            value: value, input: memory.bytes(at: initCode.offset, count: initCode.size), salt: salt)
        child.depth = message.depth + 1
        return .message(child)
    }
}
