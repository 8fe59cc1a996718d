/// What the interpreter checks before running an opcode, after evmone's `instructions_traits.hpp`:
/// base gas, stack items required, and the largest stack height that leaves room for the items it
/// pushes. Undefined opcodes have `maxStackBefore = -1`, so the one overflow check also rejects them.
@frozen
public struct OpcodeTraits: Sendable {
    /// Gas charged before the body runs (dynamic parts are charged by the body).
    public let baseGas: Int32
    /// Stack height above which the opcode would overflow 1,024 items (-1 when undefined).
    public let maxStackBefore: Int16
    /// Stack items the opcode reads.
    public let stackRequired: Int8
    /// False for undefined opcodes and INVALID (0xfe).
    public let isDefined: Bool

    init(gas: Int32, in stackIn: Int8, out stackOut: Int8) {
        baseGas = gas
        stackRequired = stackIn
        maxStackBefore = Int16(Interpreter.stackLimit - Int(stackOut - stackIn))
        isDefined = true
    }

    private init() {
        baseGas = 0
        stackRequired = 0
        maxStackBefore = -1
        isDefined = false
    }

    /// The table for Cancun, indexed by opcode.
    public static let cancun: [OpcodeTraits] = {
        var table = [OpcodeTraits](repeating: OpcodeTraits(), count: 256)
        for (op, gas, stackIn, stackOut) in fixedOpcodes {
            table[Int(op)] = OpcodeTraits(gas: gas, in: stackIn, out: stackOut)
        }
        table[0x5f] = OpcodeTraits(gas: 2, in: 0, out: 1) // PUSH0
        for n in 1...32 { table[0x5f + n] = OpcodeTraits(gas: 3, in: 0, out: 1) } // PUSH1…32
        for n in 1...16 {
            table[0x7f + n] = OpcodeTraits(gas: 3, in: Int8(n), out: Int8(n + 1)) // DUPn
            table[0x8f + n] = OpcodeTraits(gas: 3, in: Int8(n + 1), out: Int8(n + 1)) // SWAPn
        }
        for n in 0...4 { table[0xa0 + n] = OpcodeTraits(gas: Int32(375 * (n + 1)), in: Int8(n + 2), out: 0) } // LOGn
        return table
    }()

    /// (opcode, base gas, stack in, stack out) of every opcode besides PUSH, DUP, SWAP and LOG.
    /// Account-touching opcodes charge the warm cost (100) here and the cold surcharge in the body.
    private static let fixedOpcodes: [(UInt8, Int32, Int8, Int8)] = [
        (0x00, 0, 0, 0), // STOP
        (0x01, 3, 2, 1), (0x02, 5, 2, 1), (0x03, 3, 2, 1), (0x04, 5, 2, 1), // ADD MUL SUB DIV
        (0x05, 5, 2, 1), (0x06, 5, 2, 1), (0x07, 5, 2, 1), // SDIV MOD SMOD
        (0x08, 8, 3, 1), (0x09, 8, 3, 1), (0x0a, 10, 2, 1), (0x0b, 5, 2, 1), // ADDMOD MULMOD EXP SIGNEXTEND
        (0x10, 3, 2, 1), (0x11, 3, 2, 1), (0x12, 3, 2, 1), (0x13, 3, 2, 1), (0x14, 3, 2, 1), // LT GT SLT SGT EQ
        (0x15, 3, 1, 1), (0x16, 3, 2, 1), (0x17, 3, 2, 1), (0x18, 3, 2, 1), (0x19, 3, 1, 1), // ISZERO AND OR XOR NOT
        (0x1a, 3, 2, 1), (0x1b, 3, 2, 1), (0x1c, 3, 2, 1), (0x1d, 3, 2, 1), // BYTE SHL SHR SAR
        (0x20, 30, 2, 1), // SHA3
        (0x30, 2, 0, 1), (0x31, 100, 1, 1), (0x32, 2, 0, 1), (0x33, 2, 0, 1), // ADDRESS BALANCE ORIGIN CALLER
        (0x34, 2, 0, 1), (0x35, 3, 1, 1), (0x36, 2, 0, 1), (0x37, 3, 3, 0), // CALLVALUE CALLDATALOAD/SIZE/COPY
        (0x38, 2, 0, 1), (0x39, 3, 3, 0), (0x3a, 2, 0, 1), // CODESIZE CODECOPY GASPRICE
        (0x3b, 100, 1, 1), (0x3c, 100, 4, 0), // EXTCODESIZE EXTCODECOPY
        (0x3d, 2, 0, 1), (0x3e, 3, 3, 0), (0x3f, 100, 1, 1), // RETURNDATASIZE RETURNDATACOPY EXTCODEHASH
        (0x40, 20, 1, 1), (0x41, 2, 0, 1), (0x42, 2, 0, 1), (0x43, 2, 0, 1), // BLOCKHASH COINBASE TIMESTAMP NUMBER
        (0x44, 2, 0, 1), (0x45, 2, 0, 1), (0x46, 2, 0, 1), (0x47, 5, 0, 1), // PREVRANDAO GASLIMIT CHAINID SELFBALANCE
        (0x48, 2, 0, 1), (0x49, 3, 1, 1), (0x4a, 2, 0, 1), // BASEFEE BLOBHASH BLOBBASEFEE
        (0x50, 2, 1, 0), (0x51, 3, 1, 1), (0x52, 3, 2, 0), (0x53, 3, 2, 0), // POP MLOAD MSTORE MSTORE8
        (0x54, 100, 1, 1), (0x55, 0, 2, 0), (0x56, 8, 1, 0), (0x57, 10, 2, 0), // SLOAD SSTORE JUMP JUMPI
        (0x58, 2, 0, 1), (0x59, 2, 0, 1), (0x5a, 2, 0, 1), (0x5b, 1, 0, 0), // PC MSIZE GAS JUMPDEST
        (0x5c, 100, 1, 1), (0x5d, 100, 2, 0), (0x5e, 3, 3, 0), // TLOAD TSTORE MCOPY
        (0xf0, 32000, 3, 1), (0xf1, 100, 7, 1), (0xf2, 100, 7, 1), (0xf3, 0, 2, 0), // CREATE CALL CALLCODE RETURN
        (0xf4, 100, 6, 1), (0xf5, 32000, 4, 1), (0xfa, 100, 6, 1), // DELEGATECALL CREATE2 STATICCALL
        (0xfd, 0, 2, 0), (0xff, 5000, 1, 0), // REVERT SELFDESTRUCT
    ]
}
