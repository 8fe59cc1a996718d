import FuzzSupport
import NIOCore
import NIOEmbedded
import Wire

/// The frame decoder as a connection runs it (`ByteToMessageHandler` in a channel), fed the input in
/// two reads split where the first byte says. Never crashes; every frame it yields re-encodes to
/// exactly the bytes it was cut from, in order; and it stops at the first error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameDecoder(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let input = RoundTrip.bytes(data, size)
    guard let first = input.first else { return 0 }
    let stream = Array(input.dropFirst())
    let split = stream.isEmpty ? 0 : Int(first) % (stream.count + 1)
    let maximum = 4096
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maximumFrameLength: maximum)))
    for part in [stream[..<split], stream[split...]] where !part.isEmpty {
        do { try channel.writeInbound(channel.allocator.buffer(bytes: part)) } catch { break }
    }
    var reencoded: [UInt8] = []
    while let frame = try? channel.readInbound(as: Frame.self) {
        var buffer = channel.allocator.buffer(capacity: 0)
        do { try FrameEncoder.write(frame, to: &buffer, maximumFrameLength: maximum) } catch {
            fatalError("a decoded frame does not re-encode: \(error)")
        }
        reencoded += buffer.readableBytesView
    }
    RoundTrip.require(reencoded.count <= stream.count && Array(stream.prefix(reencoded.count)) == reencoded,
                      "decoded frames are not the input's bytes")
    _ = try? channel.finish()
    return 0
}
