/// Cancun's gas constants beyond the per-opcode base costs of `OpcodeTraits`.
public enum GasSchedule {
    /// EIP-2929 warm access (charged as base gas) and the cold surcharges on top of it.
    public static let warmAccess = 100
    public static let coldAccountSurcharge = 2500
    public static let coldSloadSurcharge = 2000
    public static let coldSload = 2100

    /// SSTORE (EIP-2200 with EIP-2929 and EIP-3529).
    public static let sstoreSet = 20000
    public static let sstoreReset = 2900
    public static let sstoreClearsRefund = 4800
    /// SSTORE fails when no more than this much gas is left (EIP-2200).
    public static let sstoreSentry = 2300

    public static let copyPerWord = 3
    public static let keccakPerWord = 6
    public static let logPerByte = 8
    public static let expPerByte = 50
    public static let callValue = 9000
    public static let callStipend = 2300
    public static let newAccount = 25000
    public static let codeDepositPerByte = 200
    public static let initCodePerWord = 2
    /// EIP-170 and EIP-3860.
    public static let maxCodeSize = 24576
    public static let maxInitCodeSize = 49152

    /// Transaction intrinsic gas.
    public static let transaction = 21000
    public static let transactionCreate = 32000
    public static let calldataZeroByte = 4
    public static let calldataNonzeroByte = 16
    /// EIP-3529: refunds are capped at a fifth of the gas used.
    public static let maxRefundQuotient = 5

    /// Total cost of `words` words of memory: 3·words + words²/512.
    @inline(__always)
    public static func memoryCost(words: Int) -> Int { 3 &* words &+ (words &* words) / 512 }

    /// Number of 32-byte words covering `bytes` bytes.
    @inline(__always)
    public static func words(_ bytes: Int) -> Int { (bytes &+ 31) / 32 }
}
