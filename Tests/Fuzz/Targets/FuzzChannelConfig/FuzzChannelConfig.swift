import FuzzSupport
import WeftCore

/// A channel's configuration entry from a genesis block (disk, or a `channelJoin` request), a
/// channel-scoped request (every channel call) and a chaincode definition (`_lifecycle` writes in
/// blocks, and state): never crash, and what decodes is canonical.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChannelConfig(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let bytes = RoundTrip.bytes(data, size)
    RoundTrip.checkCanonical(ConfigTransaction.self, bytes)
    RoundTrip.checkCanonical(ChannelConfig.self, bytes)
    RoundTrip.checkCanonical(ChannelRequest.self, bytes)
    RoundTrip.checkCanonical(JoinedChannels.self, bytes)
    RoundTrip.checkCanonical(ChaincodeDefinition.self, bytes)
    return 0
}
