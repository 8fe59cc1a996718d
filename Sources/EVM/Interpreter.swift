import WeftCrypto

/// The Cancun interpreter loop. Before each opcode it checks, from `OpcodeTraits`, that the opcode
/// is defined, its base gas is there and the stack holds what it reads and has room for what it
/// pushes; so the bodies below are short. Exceptional ends are status codes, never traps: any
/// bytecode either finishes or fails with a `StatusCode`.
enum Interpreter {
    /// EVM stack depth limit.
    static let stackLimit = 1024

    /// Runs `frame` until it ends or asks for a nested message.
    static func run(_ frame: ExecutionFrame, host: any Host) -> FrameOutcome {
        OpcodeTraits.cancun.withUnsafeBufferPointer { traits in
            run(frame, host: host, traits: traits.baseAddress.unsafelyUnwrapped)
        }
    }

    // The loop is one function so that pc, gas, the stack height and memory stay in registers.
    private static func run(_ frame: ExecutionFrame, host: any Host, traits: UnsafePointer<OpcodeTraits>) -> FrameOutcome {
        let code = frame.code.bytes
        let stack = frame.stack
        let message = frame.message
        var sp = frame.stackCount
        var pc = frame.pc
        var gas = frame.gas
        var memory = frame.memory
        defer {
            frame.stackCount = sp
            frame.pc = pc
            frame.gas = gas
            frame.memory = memory
        }
        @inline(__always) func fail(_ status: StatusCode) -> FrameOutcome { .finished(.failure(status)) }

        while true {
            let op = code[pc]
            let t = traits[Int(op)]
            gas &-= Int(t.baseGas)
            if gas < 0 { return fail(.outOfGas) }
            if sp < Int(t.stackRequired) { return fail(.stackUnderflow) }
            if sp > Int(t.maxStackBefore) { return fail(t.isDefined ? .stackOverflow : .invalidOpcode) }

            switch op {
            case 0x00: // STOP
                return .finished(ExecutionResult(status: .success, gasLeft: gas, gasRefund: frame.refund))
            case 0x01: // ADD
                stack[sp &- 2] = stack[sp &- 1] &+ stack[sp &- 2]; sp &-= 1
            case 0x02: // MUL
                stack[sp &- 2] = stack[sp &- 1] &* stack[sp &- 2]; sp &-= 1
            case 0x03: // SUB
                stack[sp &- 2] = stack[sp &- 1] &- stack[sp &- 2]; sp &-= 1
            case 0x04: // DIV
                stack[sp &- 2] = UInt256.divide(stack[sp &- 1], by: stack[sp &- 2]).quotient; sp &-= 1
            case 0x05: // SDIV
                stack[sp &- 2] = UInt256.signedDivide(stack[sp &- 1], stack[sp &- 2]); sp &-= 1
            case 0x06: // MOD
                stack[sp &- 2] = UInt256.divide(stack[sp &- 1], by: stack[sp &- 2]).remainder; sp &-= 1
            case 0x07: // SMOD
                stack[sp &- 2] = UInt256.signedModulo(stack[sp &- 1], stack[sp &- 2]); sp &-= 1
            case 0x08: // ADDMOD
                stack[sp &- 3] = UInt256.addMod(stack[sp &- 1], stack[sp &- 2], stack[sp &- 3]); sp &-= 2
            case 0x09: // MULMOD
                stack[sp &- 3] = UInt256.mulMod(stack[sp &- 1], stack[sp &- 2], stack[sp &- 3]); sp &-= 2
            case 0x0a: // EXP
                let exponent = stack[sp &- 2]
                gas &-= GasSchedule.expPerByte &* exponent.byteWidth
                if gas < 0 { return fail(.outOfGas) }
                stack[sp &- 2] = UInt256.power(stack[sp &- 1], exponent); sp &-= 1
            case 0x0b: // SIGNEXTEND
                stack[sp &- 2] = UInt256.signExtend(stack[sp &- 1], stack[sp &- 2]); sp &-= 1
            case 0x10: // LT
                stack[sp &- 2] = stack[sp &- 1] < stack[sp &- 2] ? .one : .zero; sp &-= 1
            case 0x11: // GT
                stack[sp &- 2] = stack[sp &- 2] < stack[sp &- 1] ? .one : .zero; sp &-= 1
            case 0x12: // SLT
                stack[sp &- 2] = UInt256.signedLess(stack[sp &- 1], stack[sp &- 2]) ? .one : .zero; sp &-= 1
            case 0x13: // SGT
                stack[sp &- 2] = UInt256.signedLess(stack[sp &- 2], stack[sp &- 1]) ? .one : .zero; sp &-= 1
            case 0x14: // EQ
                stack[sp &- 2] = stack[sp &- 1] == stack[sp &- 2] ? .one : .zero; sp &-= 1
            case 0x15: // ISZERO
                stack[sp &- 1] = stack[sp &- 1].isZero ? .one : .zero
            case 0x16: // AND
                stack[sp &- 2] = stack[sp &- 1] & stack[sp &- 2]; sp &-= 1
            case 0x17: // OR
                stack[sp &- 2] = stack[sp &- 1] | stack[sp &- 2]; sp &-= 1
            case 0x18: // XOR
                stack[sp &- 2] = stack[sp &- 1] ^ stack[sp &- 2]; sp &-= 1
            case 0x19: // NOT
                stack[sp &- 1] = ~stack[sp &- 1]
            case 0x1a: // BYTE
                stack[sp &- 2] = UInt256.byte(stack[sp &- 1], stack[sp &- 2]); sp &-= 1
            case 0x1b: // SHL
                stack[sp &- 2] = UInt256.shl(stack[sp &- 1], stack[sp &- 2]); sp &-= 1
            case 0x1c: // SHR
                stack[sp &- 2] = UInt256.shr(stack[sp &- 1], stack[sp &- 2]); sp &-= 1
            case 0x1d: // SAR
                stack[sp &- 2] = UInt256.sar(stack[sp &- 1], stack[sp &- 2]); sp &-= 1
            case 0x20: // SHA3
                guard let region = chargeMemory(&memory, &gas, stack[sp &- 1], stack[sp &- 2]) else { return fail(.outOfGas) }
                gas &-= GasSchedule.keccakPerWord &* GasSchedule.words(region.size)
                if gas < 0 { return fail(.outOfGas) }
                var digest = UInt256.zero
                withUnsafeMutableBytes(of: &digest) { out in
                    let input = UnsafeRawBufferPointer(start: region.size > 0 ? memory.pointer(region.offset) : nil, count: region.size)
                    Keccak256.hash(input, into: out.baseAddress.unsafelyUnwrapped)
                }
                stack[sp &- 2] = UInt256(bigEndianBytesAt: withUnsafeBytes(of: &digest) { $0.baseAddress.unsafelyUnwrapped })
                sp &-= 1
            case 0x30: // ADDRESS
                stack[sp] = message.recipient.word; sp &+= 1
            case 0x31: // BALANCE
                let address = Address(word: stack[sp &- 1])
                if host.accessAccount(address) == .cold {
                    gas &-= GasSchedule.coldAccountSurcharge
                    if gas < 0 { return fail(.outOfGas) }
                }
                stack[sp &- 1] = host.balance(of: address)
            case 0x32: // ORIGIN
                stack[sp] = host.context.origin.word; sp &+= 1
            case 0x33: // CALLER
                stack[sp] = message.sender.word; sp &+= 1
            case 0x34: // CALLVALUE
                stack[sp] = message.value; sp &+= 1
            case 0x35: // CALLDATALOAD
                stack[sp &- 1] = loadWord(message.input, at: stack[sp &- 1])
            case 0x36: // CALLDATASIZE
                stack[sp] = UInt256(message.input.count); sp &+= 1
            case 0x37, 0x39: // CALLDATACOPY, CODECOPY
                guard let region = chargeCopy(&memory, &gas, stack[sp &- 1], stack[sp &- 3]) else { return fail(.outOfGas) }
                if op == 0x37 {
                    message.input.withUnsafeBytes { memory.copy(from: $0, sourceOffset: stack[sp &- 2], to: region.offset, count: region.size) }
                } else {
                    memory.copy(from: UnsafeRawBufferPointer(start: code, count: frame.code.count),
                                sourceOffset: stack[sp &- 2], to: region.offset, count: region.size)
                }
                sp &-= 3
            case 0x38: // CODESIZE
                stack[sp] = UInt256(frame.code.count); sp &+= 1
            case 0x3a: // GASPRICE
                stack[sp] = host.context.gasPrice; sp &+= 1
            case 0x3b: // EXTCODESIZE
                let address = Address(word: stack[sp &- 1])
                if host.accessAccount(address) == .cold {
                    gas &-= GasSchedule.coldAccountSurcharge
                    if gas < 0 { return fail(.outOfGas) }
                }
                stack[sp &- 1] = UInt256(host.codeSize(of: address))
            case 0x3c: // EXTCODECOPY
                let address = Address(word: stack[sp &- 1])
                if host.accessAccount(address) == .cold {
                    gas &-= GasSchedule.coldAccountSurcharge
                    if gas < 0 { return fail(.outOfGas) }
                }
                guard let region = chargeCopy(&memory, &gas, stack[sp &- 2], stack[sp &- 4]) else { return fail(.outOfGas) }
                if region.size > 0 {
                    host.code(of: address).withUnsafeBytes {
                        memory.copy(from: $0, sourceOffset: stack[sp &- 3], to: region.offset, count: region.size)
                    }
                }
                sp &-= 4
            case 0x3d: // RETURNDATASIZE
                stack[sp] = UInt256(frame.returnData.count); sp &+= 1
            case 0x3e: // RETURNDATACOPY
                let sourceOffset = stack[sp &- 2], size = stack[sp &- 3]
                let (end, overflow) = sourceOffset.addingReportingOverflow(size)
                guard !overflow, end.clamped(to: frame.returnData.count) != nil else { return fail(.invalidMemoryAccess) }
                guard let region = chargeCopy(&memory, &gas, stack[sp &- 1], size) else { return fail(.outOfGas) }
                frame.returnData.withUnsafeBytes { memory.copy(from: $0, sourceOffset: sourceOffset, to: region.offset, count: region.size) }
                sp &-= 3
            case 0x3f: // EXTCODEHASH
                let address = Address(word: stack[sp &- 1])
                if host.accessAccount(address) == .cold {
                    gas &-= GasSchedule.coldAccountSurcharge
                    if gas < 0 { return fail(.outOfGas) }
                }
                stack[sp &- 1] = host.codeHash(of: address)
            case 0x40: // BLOCKHASH
                let current = host.context.number
                if let number = stack[sp &- 1].clamped(to: Int(Int64.max)), UInt64(number) < current, current - UInt64(number) <= 256 {
                    stack[sp &- 1] = host.blockHash(number: UInt64(number))
                } else {
                    stack[sp &- 1] = .zero
                }
            case 0x41: // COINBASE
                stack[sp] = host.context.coinbase.word; sp &+= 1
            case 0x42: // TIMESTAMP
                stack[sp] = UInt256(host.context.timestamp); sp &+= 1
            case 0x43: // NUMBER
                stack[sp] = UInt256(host.context.number); sp &+= 1
            case 0x44: // PREVRANDAO
                stack[sp] = host.context.prevRandao; sp &+= 1
            case 0x45: // GASLIMIT
                stack[sp] = UInt256(host.context.gasLimit); sp &+= 1
            case 0x46: // CHAINID
                stack[sp] = host.context.chainID; sp &+= 1
            case 0x47: // SELFBALANCE
                stack[sp] = host.balance(of: message.recipient); sp &+= 1
            case 0x48: // BASEFEE
                stack[sp] = host.context.baseFee; sp &+= 1
            case 0x49: // BLOBHASH
                let hashes = host.context.blobHashes
                if let index = stack[sp &- 1].clamped(to: hashes.count - 1) { stack[sp &- 1] = hashes[index] } else { stack[sp &- 1] = .zero }
            case 0x4a: // BLOBBASEFEE
                stack[sp] = host.context.blobBaseFee; sp &+= 1
            case 0x50: // POP
                sp &-= 1
            case 0x51: // MLOAD
                guard let offset = chargeWord(&memory, &gas, stack[sp &- 1], 32) else { return fail(.outOfGas) }
                stack[sp &- 1] = UInt256(bigEndianBytesAt: memory.pointer(offset))
            case 0x52: // MSTORE
                guard let offset = chargeWord(&memory, &gas, stack[sp &- 1], 32) else { return fail(.outOfGas) }
                stack[sp &- 2].storeBigEndian(to: memory.pointer(offset)); sp &-= 2
            case 0x53: // MSTORE8
                guard let offset = chargeWord(&memory, &gas, stack[sp &- 1], 1) else { return fail(.outOfGas) }
                memory.pointer(offset).storeBytes(of: UInt8(truncatingIfNeeded: stack[sp &- 2].l0), as: UInt8.self); sp &-= 2
            case 0x54: // SLOAD
                let (value, access) = host.loadStorage(message.recipient, key: stack[sp &- 1])
                if access == .cold {
                    gas &-= GasSchedule.coldSloadSurcharge
                    if gas < 0 { return fail(.outOfGas) }
                }
                stack[sp &- 1] = value
            case 0x55: // SSTORE
                if message.isStatic { return fail(.staticStateChange) }
                if let failure = storeSlot(frame, host, key: stack[sp &- 1], value: stack[sp &- 2], gas: &gas) { return fail(failure) }
                sp &-= 2
            case 0x56: // JUMP
                let destination = stack[sp &- 1]
                guard frame.code.isValidJump(destination) else { return fail(.badJumpDestination) }
                pc = Int(destination.l0); sp &-= 1
                continue
            case 0x57: // JUMPI
                if !stack[sp &- 2].isZero {
                    let destination = stack[sp &- 1]
                    guard frame.code.isValidJump(destination) else { return fail(.badJumpDestination) }
                    pc = Int(destination.l0); sp &-= 2
                    continue
                }
                sp &-= 2
            case 0x58: // PC
                stack[sp] = UInt256(pc); sp &+= 1
            case 0x59: // MSIZE
                stack[sp] = UInt256(memory.size); sp &+= 1
            case 0x5a: // GAS
                stack[sp] = UInt256(gas); sp &+= 1
            case 0x5b: // JUMPDEST
                break
            case 0x5c: // TLOAD
                stack[sp &- 1] = host.transientStorage(message.recipient, key: stack[sp &- 1])
            case 0x5d: // TSTORE
                if message.isStatic { return fail(.staticStateChange) }
                host.setTransientStorage(message.recipient, key: stack[sp &- 1], value: stack[sp &- 2]); sp &-= 2
            case 0x5e: // MCOPY
                if let failure = copyWithinMemory(&memory, &gas, destination: stack[sp &- 1], source: stack[sp &- 2], size: stack[sp &- 3]) {
                    return fail(failure)
                }
                sp &-= 3
            case 0x5f: // PUSH0
                stack[sp] = .zero; sp &+= 1
            case 0x60...0x7f: // PUSH1…PUSH32
                let count = Int(op &- 0x5f)
                stack[sp] = readImmediate(code + (pc &+ 1), count: count); sp &+= 1
                pc &+= count
            case 0x80...0x8f: // DUP1…DUP16
                stack[sp] = stack[sp &- Int(op &- 0x7f)]; sp &+= 1
            case 0x90...0x9f: // SWAP1…SWAP16
                let other = sp &- 1 &- Int(op &- 0x8f)
                let top = stack[sp &- 1]
                stack[sp &- 1] = stack[other]
                stack[other] = top
            case 0xa0...0xa4: // LOG0…LOG4
                if message.isStatic { return fail(.staticStateChange) }
                let topicCount = Int(op &- 0xa0)
                guard let region = chargeMemory(&memory, &gas, stack[sp &- 1], stack[sp &- 2]) else { return fail(.outOfGas) }
                gas &-= GasSchedule.logPerByte &* region.size
                if gas < 0 { return fail(.outOfGas) }
                var topics: [UInt256] = []
                topics.reserveCapacity(topicCount)
                for i in 0..<topicCount { topics.append(stack[sp &- 3 &- i]) }
                host.emitLog(Log(address: message.recipient, topics: topics, data: memory.bytes(at: region.offset, count: region.size)))
                sp &-= 2 &+ topicCount
            case 0xf0, 0xf5: // CREATE, CREATE2
                switch prepareCreate(frame, op: op, sp: &sp, gas: &gas, memory: &memory) {
                case .failure(let status): return fail(status)
                case .message(let child):
                    pc &+= 1
                    return .call(child)
                }
            case 0xf1, 0xf2, 0xf4, 0xfa: // CALL, CALLCODE, DELEGATECALL, STATICCALL
                switch prepareCall(frame, host, op: op, sp: &sp, gas: &gas, memory: &memory) {
                case .failure(let status): return fail(status)
                case .message(let child):
                    pc &+= 1
                    return .call(child)
                }
            case 0xf3, 0xfd: // RETURN, REVERT
                guard let region = chargeMemory(&memory, &gas, stack[sp &- 1], stack[sp &- 2]) else { return fail(.outOfGas) }
                let output = memory.bytes(at: region.offset, count: region.size)
                if op == 0xf3 {
                    return .finished(ExecutionResult(status: .success, gasLeft: gas, gasRefund: frame.refund, output: output))
                }
                return .finished(ExecutionResult(status: .revert, gasLeft: gas, output: output))
            case 0xff: // SELFDESTRUCT
                if message.isStatic { return fail(.staticStateChange) }
                let beneficiary = Address(word: stack[sp &- 1])
                if host.accessAccount(beneficiary) == .cold { gas &-= GasSchedule.coldAccountSurcharge &+ GasSchedule.warmAccess }
                if !host.balance(of: message.recipient).isZero && host.accountIsEmpty(beneficiary) { gas &-= GasSchedule.newAccount }
                if gas < 0 { return fail(.outOfGas) }
                host.selfDestruct(message.recipient, beneficiary: beneficiary)
                return .finished(ExecutionResult(status: .success, gasLeft: gas, gasRefund: frame.refund))
            default: // unreachable: undefined opcodes fail the stack check
                return fail(.invalidOpcode)
            }
            pc &+= 1
        }
    }
}
