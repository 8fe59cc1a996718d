import FuzzSupport
import WeftCore

/// A channel's configuration entry from a genesis block (disk, or a `channelJoin` request) and a
/// channel-scoped request (every channel call): never crash, and what decodes is canonical.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChannelConfig(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let bytes = RoundTrip.bytes(data, size)
    RoundTrip.checkCanonical(ConfigTransaction.self, bytes)
    RoundTrip.checkCanonical(ChannelConfig.self, bytes)
    RoundTrip.checkCanonical(ChannelRequest.self, bytes)
    RoundTrip.checkCanonical(JoinedChannels.self, bytes)
    return 0
}
