import FuzzSupport
import WeftCore

/// A signed proposal as a peer receives it, and the proposal and header inside: never crashes, and
/// what decodes is canonical.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProposal(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let bytes = RoundTrip.bytes(data, size)
    RoundTrip.checkCanonical(SignedProposal.self, bytes)
    RoundTrip.checkCanonical(Proposal.self, bytes)
    RoundTrip.checkCanonical(ProposalHeader.self, bytes)
    RoundTrip.checkCanonical(ProposalResponse.self, bytes)
    if let signed = try? SignedProposal(canonicalBytes: bytes) {
        RoundTrip.checkCanonical(Proposal.self, signed.proposalBytes)
    }
    return 0
}
