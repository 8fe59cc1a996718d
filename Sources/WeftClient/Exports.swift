/// A client's vocabulary: connection profiles and the ledger's wire types (`WeftProtocol`).
@_exported import WeftProtocol
