import WeftCrypto

/// An account as committed state holds it.
public struct Account: Sendable, Equatable {
    public var nonce: UInt64
    public var balance: UInt256
    public var code: [UInt8] {
        didSet { codeHash = Account.hash(of: code) }
    }
    /// Keccak-256 of `code`, kept with it.
    public private(set) var codeHash: UInt256

    /// Keccak-256 of no code.
    public static let emptyCodeHash = UInt256(hex: "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470") ?? .zero

    /// An account; pass `codeHash` when it is already known, to skip hashing the code.
    public init(nonce: UInt64 = 0, balance: UInt256 = .zero, code: [UInt8] = [], codeHash: UInt256? = nil) {
        self.nonce = nonce
        self.balance = balance
        self.code = code
        self.codeHash = codeHash ?? Account.hash(of: code)
    }

    /// EIP-161: no code, zero nonce, zero balance.
    public var isEmpty: Bool { nonce == 0 && balance.isZero && code.isEmpty }

    static func hash(of code: [UInt8]) -> UInt256 {
        code.isEmpty ? emptyCodeHash : (UInt256(bigEndian: Keccak256.hash(code)) ?? .zero)
    }
}
