import ArgumentParser
import AssetTransfer
import Execution
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import SmallBank
import WeftCore
import WeftCrypto
import WeftCommandLine

/// `weft bench execute`: simulations per second of the sample chaincodes against a real SQLite ledger
/// (docs/BENCHMARKS.md, "Execution (issue 5)").
public struct BenchExecuteCommand: ParsableCommand, Sendable {
    /// `weft bench` lists this command under its name, with the help text and an example.
    public static let configuration = CommandConfiguration(
        commandName: "execute",
        abstract: "Measure chaincode simulations per second (TransferAsset, SendPayment) on one core.",
        discussion: """
        Preloads a ledger with --keys keys (half asset-transfer assets, half smallbank balances), then
        runs simulations on one thread for --seconds each: every simulation opens its own read snapshot,
        runs the chaincode and builds the read-write set, as an endorser does per proposal.

        Example:
          swift build -c release && .build/release/weft bench execute --keys 100000
        """
    )

    @Option(help: "Keys preloaded into world state.")
    var keys = 100_000

    @Option(help: "Seconds per measurement.")
    var seconds = 3.0

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    struct Report: Encodable {
        var keys: Int
        var threads: Int
        var transferAssetPerSecond: Double
        var sendPaymentPerSecond: Double
        var goalPerSecond: Double
    }

    /// The command with its options at their defaults; ArgumentParser sets them from the command line.
    public init() {}

    /// Runs the benchmark and prints its report; progress goes to stderr.
    public func run() throws {
        guard keys >= 1000, seconds > 0 else {
            throw CLIFailure(.usage, "--keys takes a number ≥ 1000 and --seconds a positive number, e.g. --keys 100000 --seconds 3")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-bench-execute-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(path: folder.appendingPathComponent("bench.sqlite").path)
        defer { ledger.close() }
        let assets = keys / 2
        let accounts = keys / 4
        DescriptorOutput.standardError("preloading \(assets) assets and \(accounts) accounts…\n")
        try ExecutionPreload.load(into: ledger, assets: assets, accounts: accounts)

        let simulator = Simulator(registry: ChaincodeRegistry([
            InstalledChaincode(name: AssetTransfer.name, chaincode: AssetTransfer(), endorsementPolicy: "ANY peer"),
            InstalledChaincode(name: SmallBank.name, chaincode: SmallBank(), endorsementPolicy: "ANY peer"),
        ]))
        let transfer = ThroughputMeter.measure(threads: 1, seconds: seconds) {
            let id = Int.random(in: 0..<assets)
            return Self.simulate(simulator, ledger, AssetTransfer.name, "TransferAsset", ["asset\(id)", "owner\(id % 97)"])
        }
        let payment = ThroughputMeter.measure(threads: 1, seconds: seconds) {
            let from = Int.random(in: 0..<accounts)
            let to = (from + 1 + Int.random(in: 0..<(accounts - 1))) % accounts
            return Self.simulate(simulator, ledger, SmallBank.name, "SendPayment", ["\(from)", "\(to)", "1"])
        }
        let report = Report(keys: keys, threads: 1, transferAssetPerSecond: transfer.perSecond,
                            sendPaymentPerSecond: payment.perSecond, goalPerSecond: 50_000)
        if json {
            try JSONOutput.print(report)
        } else {
            print("simulations on 1 thread against \(keys) keys (snapshot per simulation):")
            print(TextFormat.format("  TransferAsset  %9.0f /s  (%.0f%% of the 50,000/s goal)%@", transfer.perSecond,
                         transfer.perSecond / 500, transfer.failures > 0 ? " — \(transfer.failures) failed" : ""))
            print(TextFormat.format("  SendPayment    %9.0f /s  (%.0f%% of the 50,000/s goal)%@", payment.perSecond,
                         payment.perSecond / 500, payment.failures > 0 ? " — \(payment.failures) failed" : ""))
        }
    }

    /// One endorsement-style simulation on a fresh snapshot; false when it did not succeed.
    static func simulate(_ simulator: Simulator, _ ledger: Ledger, _ chaincode: String, _ function: String, _ arguments: [String]) -> Bool {
        let header = ProposalHeader(channelID: "bench", txID: "bench", creator: SerializedIdentity(mspID: "Org1MSP", certificate: []),
                                    nonce: [], timestamp: 0)
        let proposal = Proposal(header: header, chaincode: chaincode, function: function, arguments: arguments.map { Array($0.utf8) })
        guard let snapshot = try? ledger.snapshot() else { return false }
        defer { snapshot.close() }
        guard let result = try? simulator.simulate(proposal, proposalHash: [], on: snapshot) else { return false }
        return result.succeeded
    }
}

/// Fills a ledger with asset-transfer assets and smallbank balances, in blocks of 1,000 writes.
enum ExecutionPreload {
    static func load(into ledger: Ledger, assets: Int, accounts: Int) throws {
        var writes: [KVWrite] = []
        for index in 0..<assets {
            let asset = #"{"AppraisedValue":\#(300 + index % 500),"Color":"blue","ID":"asset\#(index)","Owner":"owner\#(index % 97)","Size":\#(index % 20)}"#
            writes.append(KVWrite(namespace: AssetTransfer.name, key: "asset\(index)", value: Array(asset.utf8)))
        }
        for index in 0..<accounts {
            writes.append(KVWrite(namespace: SmallBank.name, key: "checking_\(index)", value: Array("1000000".utf8)))
            writes.append(KVWrite(namespace: SmallBank.name, key: "savings_\(index)", value: Array("1000000".utf8)))
        }
        var start = 0
        while start < writes.count {
            let chunk = Array(writes[start..<min(start + 1000, writes.count)])
            let transaction = CommittedTransaction(txID: "preload-\(start)", validationCode: .valid, writes: chunk)
            let data = [Array(transaction.txID.utf8)]
            try ledger.commitNext(data: data, transactions: [transaction])
            start += chunk.count
        }
    }
}
