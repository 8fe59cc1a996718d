import Execution
import SmallBank
import Testing
import WeftCore

@Suite struct SmallBankTests {
    func call(_ function: String, _ arguments: [String], on state: inout InMemoryState) throws -> ChaincodeResponse {
        try Fixtures.call(SmallBank(), named: SmallBank.name, function, arguments, on: &state)
    }

    func opened() throws -> InMemoryState {
        var state = InMemoryState()
        #expect(try call("CreateAccount", ["1", "alice", "100", "50"], on: &state).isSuccess)
        #expect(try call("CreateAccount", ["2", "bob", "10", "5"], on: &state).isSuccess)
        return state
    }

    @Test func paymentsDepositsAndAmalgamate() throws {
        var state = try opened()
        #expect(try call("SendPayment", ["1", "2", "30"], on: &state).isSuccess)
        #expect(try call("Balance", ["1"], on: &state).text == #"{"checking":70,"savings":50}"#)
        #expect(try call("Balance", ["2"], on: &state).text == #"{"checking":40,"savings":5}"#)
        #expect(try call("DepositChecking", ["2", "5"], on: &state).isSuccess)
        #expect(try call("TransactSavings", ["1", "-20"], on: &state).isSuccess)
        #expect(try call("Amalgamate", ["1", "2"], on: &state).isSuccess)
        #expect(try call("Balance", ["1"], on: &state).text == #"{"checking":0,"savings":0}"#)
        #expect(try call("Balance", ["2"], on: &state).text == #"{"checking":145,"savings":5}"#)
    }

    @Test func writeCheckChargesPenaltyWhenUncovered() throws {
        var state = try opened()
        #expect(try call("WriteCheck", ["2", "20"], on: &state).isSuccess)
        #expect(try call("Balance", ["2"], on: &state).text == #"{"checking":-11,"savings":5}"#)
    }

    @Test func errorCases() throws {
        var state = try opened()
        let poor = try call("SendPayment", ["2", "1", "1000"], on: &state)
        #expect(poor.status == 500 && poor.message == "insufficient funds: checking of 2 is 10, cannot send 1000")
        #expect(try call("TransactSavings", ["2", "-6"], on: &state).message.contains("insufficient funds"))
        #expect(try call("SendPayment", ["1", "9", "1"], on: &state).message == "account 9 does not exist")
        #expect(try call("CreateAccount", ["1", "again", "0", "0"], on: &state).status == 409)
        #expect(try call("DepositChecking", ["1", "-5"], on: &state).message == "amount must not be negative, got -5")
        #expect(try call("DepositChecking", ["1", "lots"], on: &state).status == 400)
        #expect(try call("DepositChecking", ["1", "\(Int64.max)"], on: &state).message.contains("overflows"))
        #expect(try call("Balance", [], on: &state).message.contains("takes 1 argument"))
        #expect(try call("SendPayment", ["1", "1", "1"], on: &state).status == 400)
    }
}
