/// One call or create handed to the machine: by a transaction (depth 0) or by CALL, CALLCODE,
/// DELEGATECALL, STATICCALL, CREATE and CREATE2 inside a running frame.
public struct Message: Sendable {
    /// What kind of frame the message opens.
    public enum Kind: Sendable {
        case call, callCode, delegateCall, staticCall, create, create2
        /// True for CREATE and CREATE2.
        public var isCreate: Bool { self == .create || self == .create2 }
    }

    public var kind: Kind
    /// True inside a STATICCALL (inherited by every nested frame): no state changes allowed.
    public var isStatic: Bool
    /// Nesting depth: 0 for the transaction's own message.
    public var depth: Int
    /// Gas available to the frame.
    public var gas: Int
    /// The account whose storage and balance the code acts on (ADDRESS); for a create, filled in
    /// by the machine with the new address.
    public var recipient: Address
    /// CALLER.
    public var sender: Address
    /// The account whose code runs (differs from `recipient` for CALLCODE and DELEGATECALL).
    public var codeAddress: Address
    /// CALLVALUE; moved from sender to recipient for CALL, CALLCODE and creates.
    public var value: UInt256
    /// Call data, or the initcode of a create.
    public var input: [UInt8]
    /// CREATE2's salt.
    public var salt: UInt256

    public init(
        kind: Kind, isStatic: Bool = false, depth: Int = 0, gas: Int, recipient: Address, sender: Address,
        codeAddress: Address? = nil, value: UInt256 = .zero, input: [UInt8] = [], salt: UInt256 = .zero
    ) {
        self.kind = kind
        self.isStatic = isStatic
        self.depth = depth
        self.gas = gas
        self.recipient = recipient
        self.sender = sender
        self.codeAddress = codeAddress ?? recipient
        self.value = value
        self.input = input
        self.salt = salt
    }

    /// True when the message moves value (CALL, CALLCODE, creates with nonzero value).
    var transfersValue: Bool {
        !value.isZero && (kind == .call || kind == .callCode || kind.isCreate)
    }
}
