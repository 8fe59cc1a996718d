import Foundation
import Ledger
import LedgerTestSupport

// Commits the deterministic workload's blocks to a ledger, one durable commit after another, until
// killed; prints each committed height on stdout. Used only by LedgerTests' crash-consistency test,
// which kills it with SIGKILL at a random moment and checks the file.
//
// Usage: LedgerCrashWriter PATH SEED

let arguments = CommandLine.arguments
guard arguments.count == 3, let seed = UInt64(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: LedgerCrashWriter PATH SEED\n".utf8))
    exit(1)
}
do {
    let ledger = try Ledger.open(path: arguments[1])
    let workload = DeterministicWorkload(seed: seed)
    var builder = BlockBuilder(continuing: ledger.chainInfo)
    while builder.height < 1_000_000 {
        let (block, transactions) = builder.next(workload.transactions(ofBlock: builder.height))
        try ledger.commit(block, transactions: transactions)
        FileHandle.standardOutput.write(Data("\(block.number + 1)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("LedgerCrashWriter: \(error)\n".utf8))
    exit(4)
}
