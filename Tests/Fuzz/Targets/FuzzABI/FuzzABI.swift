import EVM
import FuzzSupport

/// ABI decoding of call data and return data: the input's first bytes pick a type list from a fixed
/// set, the rest is decoded. Never crashes; what decodes re-encodes to data that decodes to the same
/// values.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzABI(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let input = RoundTrip.bytes(data, size)
    guard let selector = input.first else { return 0 }
    let signatures = ["uint256", "int8,bool", "address,bytes", "string", "uint256[]", "bytes32,string[]",
                      "(uint256,string)", "(bool,bytes)[]", "uint8[3]", "string,uint256[2][]", "int256,address,bytes4"]
    let list = signatures[Int(selector) % signatures.count]
    guard let types = try? list.split(separator: ",", omittingEmptySubsequences: true).map({ try ABIType(parsing: String($0)) })
    else { return 0 }
    if list.contains("(") || list.contains("][") { return checkWhole(list, Array(input.dropFirst())) }
    check(types, Array(input.dropFirst()))
    return 0
}

private func check(_ types: [ABIType], _ bytes: [UInt8]) {
    guard let values = try? ABI.decode(bytes, as: types) else { return }
    guard let encoded = try? ABI.encode(values, as: types) else { fatalError("decoded ABI values do not encode: \(values)") }
    guard let again = try? ABI.decode(encoded, as: types) else { fatalError("re-encoded ABI data does not decode") }
    RoundTrip.require(again == values, "ABI values changed through encode → decode: \(values) → \(again)")
}

/// Type lists with tuples or nested arrays are parsed as one tuple type.
private func checkWhole(_ list: String, _ bytes: [UInt8]) -> CInt {
    guard let type = try? ABIType(parsing: "(" + list + ")") else { return 0 }
    check([type], bytes)
    return 0
}
