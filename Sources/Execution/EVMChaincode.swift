import EVM
import WeftCore
import WeftCrypto

/// Ethereum contracts as chaincode (docs/evm.md): installed under the name `evm`, it deploys contracts
/// and calls them by ordinary transactions, running them on the `EVM` module's interpreter with world
/// state as their storage (`EVMStateLayout`), so every endorser runs them and MVCC protects them.
///
/// Functions (arguments are UTF-8 text; hex may carry a `0x` prefix, either case):
/// - `deploy(initCodeHex)`: runs the initcode (constructor arguments ABI-encoded after it) as a CREATE
///   from the submitter; returns the new contract's address as UTF-8 text, `0x` and 40 lower-case hex digits.
/// - `call(addressHex, calldataHex)`: calls the contract; returns the raw output bytes (the ABI-encoded
///   return value; `decodeResult` renders it). A query is the same call evaluated without submitting.
///
/// The environment: CALLER/ORIGIN is the submitter's address (`address(ofCertificate:)`), NUMBER the
/// height simulated on, TIMESTAMP the transaction's timestamp in seconds, CHAINID derived from the
/// channel, value always 0 (there is no coin). Outcomes:
/// - success: the net state changes become the transaction's writes; its `EVMReceipt` (gas used and
///   logs in emission order) becomes its one chaincode event, named `receipt`;
/// - REVERT: an error response (500) `reverted: <reason>` with the decoded `Error(string)` reason, or
///   `reverted with data 0x…` for other revert data, or `reverted` when there is none;
/// - an exceptional halt: an error response (500) `execution failed: <status>`, e.g. `outOfGas`;
/// - bad arguments (400), no contract at the called address (404).
public struct EVMChaincode: Chaincode {
    /// The name the chaincode is installed under; contracts live in sub-namespaces `evm:<address>`.
    public static let name = "evm"
    /// The default gas limit per transaction (Ethereum mainnet's block gas limit).
    public static let defaultGasLimit = 30_000_000

    /// Gas available to each transaction, intrinsic gas included (channel configuration); also GASLIMIT.
    public let gasLimit: Int
    private let executor: EVMExecutor

    /// The chaincode with the channel's per-transaction `gasLimit` (values below zero count as zero:
    /// every transaction then runs out of gas).
    public init(gasLimit: Int = defaultGasLimit, executor: EVMExecutor = EVMExecutor()) {
        self.gasLimit = max(gasLimit, 0)
        self.executor = executor
    }

    public func invoke(_ stub: ChaincodeStub) throws -> [UInt8] {
        switch stub.function {
        case "deploy":
            try stub.expectArguments(1, usage: "initCodeHex")
            let initCode = try Self.hex(stub, 0, "initCodeHex")
            guard !initCode.isEmpty else { throw ChaincodeError.badRequest("deploy: initCodeHex is empty") }
            let result = try execute(.create, input: initCode, stub: stub)
            guard let address = result.createdAddress else {
                throw ChaincodeError("deploy: the create succeeded without an address")
            }
            return Array(address.description.utf8)
        case "call":
            try stub.expectArguments(2, usage: "addressHex, calldataHex")
            let text = try stub.string(0, "addressHex")
            guard let address = Address(hex: text) else {
                throw ChaincodeError.badRequest("call: argument 1 (addressHex) must be 40 hex digits, got \"\(text)\"")
            }
            return try execute(.call(address), input: try Self.hex(stub, 1, "calldataHex"), stub: stub).output
        default:
            throw ChaincodeError.badRequest(
                "unknown function \"\(stub.function)\": the evm chaincode has deploy(initCodeHex) and call(addressHex, calldataHex)")
        }
    }

    /// Runs one transaction on the stub's snapshot; on success records its writes and event.
    private func execute(_ target: EVMTransaction.Target, input: [UInt8], stub: ChaincodeStub) throws -> EVMTransactionResult {
        let submitter = try Self.submitterAddress(stub.creator)
        let context = ExecutionContext.ledger(
            submitter: submitter, channel: stub.channelID, height: stub.height,
            timestamp: UInt64(max(stub.timestamp, 0) / 1000), gasLimit: UInt64(gasLimit))
        let world = ChaincodeWorldState(stub: stub)
        let journal = StateJournal(backend: world, context: context)
        if case .call(let address) = target, journal.codeSize(of: address) == 0 {
            if let error = journal.backendError { throw error }
            throw ChaincodeError.notFound("call: no contract at \(address)")
        }
        let transaction = EVMTransaction(sender: submitter, target: target, value: .zero, input: input, gasLimit: gasLimit)
        let result = try executor.execute(transaction, journal: journal)
        switch result.status {
        case .success:
            try world.write(result.changes)
            let receipt = EVMReceipt(gasUsed: UInt64(max(result.gasUsed, 0)), logs: result.logs)
            try stub.setEvent(EVMReceipt.eventName, receipt.canonicalBytes)
            return result
        case .revert:
            throw ChaincodeError(Self.revertMessage(result.output))
        default:
            throw ChaincodeError("execution failed: \(result.status) (gas limit \(gasLimit))")
        }
    }

    /// `reverted: <reason>`, `reverted with data 0x…` or `reverted`.
    static func revertMessage(_ output: [UInt8]) -> String {
        if let reason = ABI.revertReason(output) { return "reverted: \(reason)" }
        return output.isEmpty ? "reverted" : "reverted with data 0x\(Hex.encode(output))"
    }

    /// The submitter's address; a certificate that does not parse is a 400 error.
    private static func submitterAddress(_ creator: SerializedIdentity) throws -> Address {
        do {
            return try SubmitterAddressCache.shared.address(ofCertificate: creator.certificate, derive: address(ofCertificate:))
        } catch {
            throw ChaincodeError.badRequest("the submitter's certificate is unreadable: \(error)")
        }
    }

    /// Argument `index` as hex bytes; a 400 error naming it otherwise.
    private static func hex(_ stub: ChaincodeStub, _ index: Int, _ name: String) throws -> [UInt8] {
        let text = try stub.string(index, name)
        guard let bytes = Hex.decode(text) else {
            throw ChaincodeError.badRequest("\(stub.function): argument \(index + 1) (\(name)) is not hex: \"\(text.prefix(80))\"")
        }
        return bytes
    }
}
