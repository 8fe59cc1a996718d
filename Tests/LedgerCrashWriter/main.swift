import Foundation
import Ledger
import LedgerTestSupport

// Commits the deterministic workload's blocks to a ledger, one durable commit after another, until
// killed; prints each committed height on stdout. Used only by LedgerTests' crash-consistency tests,
// which kill it with SIGKILL at a random moment and check the file.
//
// Usage: LedgerCrashWriter PATH SEED [MODE]
//   MODE commit (default): commits only.
//   MODE lifecycle: after each block, also prunes below half the height, writes a snapshot
//   (PATH.snapshot-N) and a backup (PATH.backup-N), so kills land inside those too.

let arguments = CommandLine.arguments
guard (3...4).contains(arguments.count), let seed = UInt64(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: LedgerCrashWriter PATH SEED [commit|lifecycle]\n".utf8))
    exit(1)
}
let lifecycle = arguments.count == 4 && arguments[3] == "lifecycle"
do {
    let path = arguments[1]
    let ledger = try Ledger.open(path: path)
    let workload = DeterministicWorkload(seed: seed)
    var builder = BlockBuilder(continuing: ledger.chainInfo)
    while builder.height < 1_000_000 {
        let (block, transactions) = builder.next(workload.transactions(ofBlock: builder.height))
        try ledger.commit(block, transactions: transactions)
        FileHandle.standardOutput.write(Data("\(block.number + 1)\n".utf8))
        if lifecycle {
            let height = ledger.chainInfo.height
            _ = try ledger.prune(before: height / 2)
            _ = try ledger.exportSnapshot(channel: "crash", to: "\(path).snapshot-\(height)")
            _ = try ledger.backup(to: "\(path).backup-\(height)")
        }
    }
} catch {
    FileHandle.standardError.write(Data("LedgerCrashWriter: \(error)\n".utf8))
    exit(4)
}
