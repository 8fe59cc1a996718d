import EVM
import Execution
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import WeftCore
import WeftCrypto
import WeftCommandLine

/// `weft bench evm`'s simulator row: ERC-20 `transfer` calls per second through the `evm` chaincode and
/// the `Simulator`, as an endorser runs them — each on its own read snapshot of a real SQLite ledger
/// holding the deployed token, with the read-write set built. Nothing is committed between calls.
enum EVMSimulatorBench {
    static let channel = "bench"

    /// Deploys the token (initcode with constructor arguments) through the simulator, commits the
    /// deploy's writes as block 0, then runs transfers to `recipients` distinct addresses for `seconds`.
    static func run(tokenInitCode: [UInt8], seconds: Double, recipients: Int = 1000) throws -> ThroughputMeter.Measurement {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-bench-evm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(path: folder.appendingPathComponent("bench.sqlite").path)
        defer { ledger.close() }

        let authority = try CertificateAuthority.selfSigned(subject: DistinguishedName(organization: "Bench", commonName: "alice"))
        let submitter = SerializedIdentity(mspID: "BenchMSP", certificate: authority.certificate.derRepresentation)
        let simulator = Simulator(registry: ChaincodeRegistry([
            InstalledChaincode(name: EVMChaincode.name, chaincode: EVMChaincode(), endorsementPolicy: "ANY peer"),
        ]))

        let deploy = try simulate(simulator, ledger, submitter, "deploy", ["0x" + Hex.encode(tokenInitCode)])
        guard deploy.succeeded else {
            throw CLIFailure(.other, "deploying the token through the simulator failed: \(deploy.payload.response.message)")
        }
        try commit(deploy.payload.readWriteSet.writes, to: ledger)
        let token = try EVMChaincode.deployedAddress(deploy.payload.response.payload)

        let calls = try (0..<max(recipients, 1)).map { index in
            try EVMChaincode.callArguments(contract: token.description, signature: "transfer(address,uint256)",
                                           arguments: [Address(UInt64(0x10_0000 + index)).description, "1"])
        }
        let check = try simulate(simulator, ledger, submitter, "call", calls[0])
        guard check.succeeded else {
            throw CLIFailure(.other, "a token transfer through the simulator failed: \(check.payload.response.message)")
        }
        let counter = Counter()
        return ThroughputMeter.measure(threads: 1, seconds: seconds) {
            let arguments = calls[counter.next() % calls.count]
            return (try? simulate(simulator, ledger, submitter, "call", arguments))?.succeeded ?? false
        }
    }

    /// One endorsement-style simulation of the `evm` chaincode on a fresh snapshot.
    private static func simulate(
        _ simulator: Simulator, _ ledger: Ledger, _ submitter: SerializedIdentity, _ function: String, _ arguments: [String]
    ) throws -> Simulation {
        let header = ProposalHeader(channelID: channel, txID: "bench", creator: submitter, nonce: [], timestamp: 1_700_000_000_000)
        let proposal = Proposal(header: header, chaincode: EVMChaincode.name, function: function,
                                arguments: arguments.map { Array($0.utf8) })
        let snapshot = try ledger.snapshot()
        defer { snapshot.close() }
        return try simulator.simulate(proposal, proposalHash: [], on: snapshot)
    }

    /// Commits `writes` as the next block, as a valid transaction.
    private static func commit(_ writes: [KVWrite], to ledger: Ledger) throws {
        let transaction = CommittedTransaction(txID: "deploy", validationCode: .valid, writes: writes)
        let data = [Array(transaction.txID.utf8)]
        try ledger.commitNext(data: data, transactions: [transaction])
    }

    /// A call counter for the measuring thread.
    // @unchecked Sendable: only the one measuring thread calls `next`.
    private final class Counter: @unchecked Sendable {
        private var value = 0
        func next() -> Int {
            value += 1
            return value
        }
    }
}
