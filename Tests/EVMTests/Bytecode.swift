import EVM

/// A tiny bytecode DSL for tests: `push(3) + push(5) + .add + .stop`.
struct Bytecode: ExpressibleByArrayLiteral, CustomStringConvertible {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }
    init(arrayLiteral elements: UInt8...) { bytes = elements }

    static func + (a: Bytecode, b: Bytecode) -> Bytecode { Bytecode(a.bytes + b.bytes) }
    static func * (a: Bytecode, count: Int) -> Bytecode { Bytecode(Array([[UInt8]](repeating: a.bytes, count: count).joined())) }

    var description: String { bytes.map { String($0, radix: 16) }.joined(separator: " ") }

    /// PUSHn with the fewest bytes (PUSH0 for zero).
    static func push(_ value: UInt256) -> Bytecode {
        let significant = Array(value.bigEndianBytes.drop { $0 == 0 })
        if significant.isEmpty { return [0x5f] }
        return Bytecode([0x5f + UInt8(significant.count)] + significant)
    }

    static func push(_ value: Int) -> Bytecode { push(UInt256(value)) }
    static func push(_ address: Address) -> Bytecode { push(address.word) }

    /// PUSH1 with exactly one byte, whatever the value (to count gas exactly).
    static func push1(_ value: UInt8) -> Bytecode { [0x60, value] }

    static let stop: Bytecode = [0x00], add: Bytecode = [0x01], mul: Bytecode = [0x02], sub: Bytecode = [0x03]
    static let exp: Bytecode = [0x0a], lt: Bytecode = [0x10], gt: Bytecode = [0x11], eq: Bytecode = [0x14]
    static let iszero: Bytecode = [0x15], sha3: Bytecode = [0x20], address: Bytecode = [0x30], caller: Bytecode = [0x33]
    static let callvalue: Bytecode = [0x34], calldataload: Bytecode = [0x35], returndatasize: Bytecode = [0x3d]
    static let returndatacopy: Bytecode = [0x3e], pop: Bytecode = [0x50], mload: Bytecode = [0x51]
    static let mstore: Bytecode = [0x52], mstore8: Bytecode = [0x53], sload: Bytecode = [0x54], sstore: Bytecode = [0x55]
    static let jump: Bytecode = [0x56], jumpi: Bytecode = [0x57], msize: Bytecode = [0x59], gas: Bytecode = [0x5a]
    static let jumpdest: Bytecode = [0x5b], tload: Bytecode = [0x5c], tstore: Bytecode = [0x5d], mcopy: Bytecode = [0x5e]
    static let push0: Bytecode = [0x5f], dup1: Bytecode = [0x80], swap1: Bytecode = [0x90], log0: Bytecode = [0xa0]
    static let log1: Bytecode = [0xa1], create: Bytecode = [0xf0], call: Bytecode = [0xf1], ret: Bytecode = [0xf3]
    static let delegatecall: Bytecode = [0xf4], create2: Bytecode = [0xf5], staticcall: Bytecode = [0xfa]
    static let revert: Bytecode = [0xfd], invalid: Bytecode = [0xfe], selfdestruct: Bytecode = [0xff]

    /// MSTORE(offset, value).
    static func mstore(_ offset: Int, _ value: UInt256) -> Bytecode { push(value) + push(offset) + .mstore }
    /// SSTORE(key, value).
    static func sstore(_ key: Int, _ value: UInt256) -> Bytecode { push(value) + push(key) + .sstore }
    /// RETURN(offset, size).
    static func ret(_ offset: Int, _ size: Int) -> Bytecode { push(size) + push(offset) + .ret }
    /// REVERT(offset, size).
    static func revert(_ offset: Int, _ size: Int) -> Bytecode { push(size) + push(offset) + .revert }
    /// CALL(gas, to, value, in 0/0, out 0/32) with all of the gas left.
    static func call(_ to: Address, value: Int = 0, outSize: Int = 32) -> Bytecode {
        push(outSize) + push0 + push0 + push0 + push(value) + push(to) + .gas + .call
    }
    /// STATICCALL(gas, to, in 0/0, out 0/32).
    static func staticcall(_ to: Address) -> Bytecode {
        push(32) + push0 + push0 + push0 + push(to) + .gas + .staticcall
    }
    /// Code that deploys `runtime` (CODECOPY the tail, RETURN it).
    static func deploying(_ runtime: Bytecode) -> Bytecode {
        let prefixLength = 10
        let prefix = push1(UInt8(runtime.bytes.count)) + push1(UInt8(prefixLength)) + push0 + [0x39]
            + push1(UInt8(runtime.bytes.count)) + push0 + .ret
        precondition(prefix.bytes.count == prefixLength)
        return prefix + runtime
    }
}

/// Runs bytecode in one frame on an in-memory world.
struct TestMachine {
    let state = InMemoryWorldState()
    let journal: StateJournal
    static let contract = Address(0xc0de)
    static let sender = Address(0x5e4d)

    init(code: Bytecode, others: [Address: Bytecode] = [:], balance: UInt256 = .zero) {
        state.setAccount(Account(balance: balance, code: code.bytes), at: Self.contract)
        state.setAccount(Account(balance: UInt256(1_000_000)), at: Self.sender)
        for (address, other) in others { state.setAccount(Account(code: other.bytes), at: address) }
        journal = StateJournal(backend: state, context: ExecutionContext(origin: Self.sender, number: 10, timestamp: 1000))
        journal.prewarm(Self.contract)
        journal.prewarm(Self.sender)
    }

    /// Runs the contract with `gas`; returns the result and the gas it used.
    func run(gas: Int = 1_000_000, input: [UInt8] = [], value: UInt256 = .zero, isStatic: Bool = false) -> (result: ExecutionResult, gasUsed: Int) {
        let message = Message(kind: .call, isStatic: isStatic, gas: gas, recipient: Self.contract, sender: Self.sender,
                              value: value, input: input)
        let result = VirtualMachine(host: journal).execute(message)
        return (result, gas - result.gasLeft)
    }
}
