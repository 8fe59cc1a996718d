import EVM
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore

/// One workload of `weft bench evm`: the same bytecode and call data go to Weft and to revm.
struct EVMBenchCase {
    let name: String
    /// Runtime code installed directly, or nil when `initCode` deploys the contract.
    let code: [UInt8]?
    let initCode: [UInt8]?
    let calldata: [UInt8]
    /// Separate calls timed together (1 for the single-call loops).
    let calls: Int
    /// True when the figure is calls per second rather than gas per second.
    var perCall: Bool { calls > 1 }
}

extension EVMBenchCase {
    static let alice = Address(0xa1a1a1)
    static let bob = Address(0xb0b0b0)

    /// The loops: arithmetic (MUL/ADD/XOR/SHL on the stack), Keccak-256 of 64 bytes of memory,
    /// SLOAD+SSTORE over 32 slots, Vyper `batchTransfer`; then separate ERC-20 `transfer` calls.
    static func standardSet(iterations: Int, tokenInitCode: [UInt8], transfers: Int) -> [EVMBenchCase] {
        let count = UInt256(iterations).bigEndianBytes
        func hex(_ text: String) -> [UInt8] { Hex.decode(text) ?? [] }
        let supply = UInt256(1) .shiftedLeft(by: 200)
        let constructor = (try? ABI.encode([.string("Bench"), .string("BEN"), .uint(18), .uint(supply)],
                                           as: [.string, .string, .uint(bits: 8), .uint(bits: 256)])) ?? []
        let batchSize = min(iterations / 10, 100_000)
        let batch = (try? ABIFunction(signature: "batchTransfer(address,uint256,uint256)")
            .encodeCall([.address(bob), .uint(1), .uint(UInt256(batchSize))])) ?? []
        let transfer = (try? ABIFunction(signature: "transfer(address,uint256)").encodeCall([.address(bob), .uint(1)])) ?? []
        return [
            // acc = ((acc·i + 7) ^ i) << 3 + i, for i = n … 1; returns acc.
            EVMBenchCase(name: "arithmetic loop", code: hex("5f5f355b808202600701811860031b810191506001900380600357505f5260205ff3"),
                         initCode: nil, calldata: count, calls: 1),
            // mem[0] = keccak256(mem[0..64]), n times; returns mem[0].
            EVMBenchCase(name: "keccak loop", code: hex("5f355b60405f205f52600190038060025750" + "60205ff3"),
                         initCode: nil, calldata: count, calls: 1),
            // slot[i & 31] += 1, n times.
            EVMBenchCase(name: "storage loop", code: hex("5f355b601f811680546001019055600190038060025700"),
                         initCode: nil, calldata: count, calls: 1),
            EVMBenchCase(name: "token batchTransfer", code: nil, initCode: tokenInitCode + constructor, calldata: batch, calls: 1),
            EVMBenchCase(name: "ERC-20 transfer calls", code: nil, initCode: tokenInitCode + constructor, calldata: transfer,
                         calls: transfers),
        ]
    }
}
