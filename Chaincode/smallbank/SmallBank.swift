import Execution

/// The smallbank workload used to benchmark permissioned ledgers: customers with a checking and a
/// savings account. Balances are whole currency units stored as decimal text under
/// `checking_<id>` and `savings_<id>`; the customer's name is under `account_<id>`.
public struct SmallBank: Chaincode {
    /// The name it is installed under.
    public static let name = "smallbank"

    public init() {}

    public func invoke(_ stub: ChaincodeStub) throws -> [UInt8] {
        switch stub.function {
        case "CreateAccount": return try createAccount(stub)
        case "DepositChecking": return try depositChecking(stub)
        case "TransactSavings": return try transactSavings(stub)
        case "WriteCheck": return try writeCheck(stub)
        case "SendPayment": return try sendPayment(stub)
        case "Amalgamate": return try amalgamate(stub)
        case "Balance": return try balance(stub)
        default:
            throw ChaincodeError.badRequest(
                "smallbank has no function \"\(stub.function)\"; try CreateAccount, DepositChecking, "
                    + "TransactSavings, WriteCheck, SendPayment, Amalgamate, Balance")
        }
    }

    /// CreateAccount(id, name, checking, savings)
    private func createAccount(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(4, usage: "id, name, checkingBalance, savingsBalance")
        let id = try stub.string(0, "id")
        let name = try stub.string(1, "name")
        let checking = try amount(stub, 2, "checkingBalance")
        let savings = try amount(stub, 3, "savingsBalance")
        guard try stub.getState(Self.accountKey(id)) == nil else {
            throw ChaincodeError.conflict("account \(id) already exists")
        }
        try stub.putState(Self.accountKey(id), Array(name.utf8))
        try put(stub, Self.checkingKey(id), checking)
        try put(stub, Self.savingsKey(id), savings)
        return []
    }

    /// DepositChecking(id, amount)
    private func depositChecking(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(2, usage: "id, amount")
        let id = try stub.string(0, "id")
        let deposit = try amount(stub, 1, "amount")
        let checking = try balance(stub, Self.checkingKey(id), of: id)
        try put(stub, Self.checkingKey(id), try add(checking, deposit))
        return []
    }

    /// TransactSavings(id, amount): adds a signed amount to savings; the result may not go negative.
    private func transactSavings(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(2, usage: "id, amount")
        let id = try stub.string(0, "id")
        let change = try stub.integer(1, "amount")
        let savings = try balance(stub, Self.savingsKey(id), of: id)
        let result = try add(savings, change)
        guard result >= 0 else { throw ChaincodeError("insufficient funds: savings of \(id) is \(savings), cannot withdraw \(-change)") }
        try put(stub, Self.savingsKey(id), result)
        return []
    }

    /// WriteCheck(id, amount): debits checking; when checking plus savings cannot cover it, a penalty of 1 applies.
    private func writeCheck(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(2, usage: "id, amount")
        let id = try stub.string(0, "id")
        let check = try amount(stub, 1, "amount")
        let checking = try balance(stub, Self.checkingKey(id), of: id)
        let savings = try balance(stub, Self.savingsKey(id), of: id)
        let penalty: Int64 = try add(checking, savings) < check ? 1 : 0
        try put(stub, Self.checkingKey(id), try add(checking, -(try add(check, penalty))))
        return []
    }

    /// SendPayment(from, to, amount): moves money between checking accounts; the sender must cover it.
    private func sendPayment(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(3, usage: "fromId, toId, amount")
        let from = try stub.string(0, "fromId")
        let to = try stub.string(1, "toId")
        let payment = try amount(stub, 2, "amount")
        guard from != to else { throw ChaincodeError.badRequest("SendPayment needs two different accounts") }
        let source = try balance(stub, Self.checkingKey(from), of: from)
        let destination = try balance(stub, Self.checkingKey(to), of: to)
        guard source >= payment else {
            throw ChaincodeError("insufficient funds: checking of \(from) is \(source), cannot send \(payment)")
        }
        try put(stub, Self.checkingKey(from), source - payment)
        try put(stub, Self.checkingKey(to), try add(destination, payment))
        return []
    }

    /// Amalgamate(from, to): moves all of `from`'s savings and checking into `to`'s checking.
    private func amalgamate(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(2, usage: "fromId, toId")
        let from = try stub.string(0, "fromId")
        let to = try stub.string(1, "toId")
        guard from != to else { throw ChaincodeError.badRequest("Amalgamate needs two different accounts") }
        let savings = try balance(stub, Self.savingsKey(from), of: from)
        let checking = try balance(stub, Self.checkingKey(from), of: from)
        let destination = try balance(stub, Self.checkingKey(to), of: to)
        try put(stub, Self.savingsKey(from), 0)
        try put(stub, Self.checkingKey(from), 0)
        try put(stub, Self.checkingKey(to), try add(destination, try add(savings, checking)))
        return []
    }

    /// Balance(id) → `{"checking":C,"savings":S}`
    private func balance(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(1, usage: "id")
        let id = try stub.string(0, "id")
        let checking = try balance(stub, Self.checkingKey(id), of: id)
        let savings = try balance(stub, Self.savingsKey(id), of: id)
        return Array("{\"checking\":\(checking),\"savings\":\(savings)}".utf8)
    }

    // MARK: Helpers

    static func accountKey(_ id: String) -> String { "account_" + id }
    static func checkingKey(_ id: String) -> String { "checking_" + id }
    static func savingsKey(_ id: String) -> String { "savings_" + id }

    private func amount(_ stub: ChaincodeStub, _ index: Int, _ name: String) throws -> Int64 {
        let value = try stub.integer(index, name)
        guard value >= 0 else { throw ChaincodeError.badRequest("\(name) must not be negative, got \(value)") }
        return value
    }

    private func balance(_ stub: ChaincodeStub, _ key: String, of id: String) throws -> Int64 {
        guard let bytes = try stub.getState(key) else { throw ChaincodeError.notFound("account \(id) does not exist") }
        guard let value = Int64(String(decoding: bytes, as: UTF8.self)) else {
            throw ChaincodeError("stored balance under \(key) is not a number")
        }
        return value
    }

    private func put(_ stub: ChaincodeStub, _ key: String, _ value: Int64) throws {
        try stub.putState(key, Array(String(value).utf8))
    }

    private func add(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw ChaincodeError.badRequest("amount overflows a 64-bit balance") }
        return sum
    }
}
