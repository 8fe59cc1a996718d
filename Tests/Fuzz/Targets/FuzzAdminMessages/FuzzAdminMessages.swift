import FuzzSupport
import Ledger
import WeftCore

/// The bodies of the peer's ledger queries, gateway calls and ledger admin calls (`ledgerQuery`,
/// `commitStatus`, `gatewayEndorse`'s answer, `chaincodeEvents`, `ledgerSnapshot`, `ledgerBackup`,
/// `ledgerExport`, `ledgerPrune`, `ledgerDownload`) and their answers, as a peer and a client decode
/// them from the network: never crash, and what decodes is canonical.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAdminMessages(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let bytes = RoundTrip.bytes(data, size)
    RoundTrip.checkCanonical(LedgerQuery.self, bytes)
    RoundTrip.checkCanonical(LedgerQueryResult.self, bytes)
    RoundTrip.checkCanonical(CommitStatusRequest.self, bytes)
    RoundTrip.checkCanonical(EndorsementResponses.self, bytes)
    RoundTrip.checkCanonical(ChaincodeEventsRequest.self, bytes)
    RoundTrip.checkCanonical(LedgerSnapshotRequest.self, bytes)
    RoundTrip.checkCanonical(LedgerSnapshotTaken.self, bytes)
    RoundTrip.checkCanonical(LedgerFileWritten.self, bytes)
    RoundTrip.checkCanonical(LedgerExportRequest.self, bytes)
    RoundTrip.checkCanonical(LedgerPruneRequest.self, bytes)
    RoundTrip.checkCanonical(LedgerPruned.self, bytes)
    RoundTrip.checkCanonical(LedgerDownloadRequest.self, bytes)
    return 0
}
