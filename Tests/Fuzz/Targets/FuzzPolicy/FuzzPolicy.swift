import FuzzSupport
import Identity

/// Endorsement policy text: the parser never crashes, and a policy's description parses back to the
/// same policy.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let text = String(decoding: RoundTrip.bytes(data, size), as: UTF8.self)
    guard let policy = try? EndorsementPolicy(text) else { return 0 }
    guard let again = try? EndorsementPolicy(policy.description) else {
        fatalError("the description of a parsed policy does not parse: \(policy.description)")
    }
    RoundTrip.require(again == policy, "policy changed through description → parse: \(policy.description)")
    return 0
}
