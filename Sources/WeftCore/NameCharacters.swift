/// The characters of the names chaincodes are defined and keep state under: chaincode definitions
/// (`LifecycleKeys.isDefinableName`) and sub-namespaces (`ChaincodeStub.subNamespace`).
public enum NameCharacters {
    /// Whether `byte` is one of `a–z A–Z 0–9 . _ -`.
    public static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
