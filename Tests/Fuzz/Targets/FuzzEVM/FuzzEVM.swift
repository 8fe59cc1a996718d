import EVM
import FuzzSupport
import WeftCore

/// Random bytecode run as a contract call under a gas limit. Never crashes, and the journal's
/// invariants hold: no more gas used than the limit; a call that fails leaves no storage changes or
/// logs; a call that succeeds leaves changes that apply to the state. The same bytes as an `evm`
/// receipt event's payload (what a client decodes): never crash, and what decodes is canonical.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEVM(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let code = RoundTrip.bytes(data, size)
    RoundTrip.checkCanonical(EVMReceipt.self, code)
    let sender = Address(0x1000), contract = Address(0x2000)
    let state = InMemoryWorldState()
    state.setAccount(Account(balance: UInt256(1_000_000)), at: sender)
    state.setAccount(Account(code: code), at: contract)
    let gasLimit = 200_000
    let transaction = EVMTransaction(sender: sender, target: .call(contract), value: .zero, input: Array(code.prefix(64)),
                                     gasLimit: gasLimit)
    let result: EVMTransactionResult
    do {
        result = try EVMExecutor().execute(transaction, on: state, context: ExecutionContext(origin: sender))
    } catch {
        return 0   // refused before execution (intrinsic gas, …)
    }
    RoundTrip.require(result.gasUsed >= 0 && result.gasUsed <= gasLimit, "gas used \(result.gasUsed) of \(gasLimit)")
    if result.status != .success {
        RoundTrip.require(result.logs.isEmpty, "a failed call emitted logs")
    }
    state.apply(result.changes)
    return 0
}
