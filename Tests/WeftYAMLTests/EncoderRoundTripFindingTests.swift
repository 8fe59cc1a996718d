import Foundation
import Testing
import WeftYAML

/// Inputs the fuzzer (Tests/Fuzz, target FuzzYAML) found: what the encoder writes must parse back.
@Suite struct EncoderRoundTripFindingTests {
    @Test(arguments: [
        "a\u{FFFD}\u{FFFD}\u{0}\u{FFFD}:\t\u{6DA}}\n",
        "k: \u{6DA}}\n",
        "\"\\0\": v\n",
    ])
    func encoderOutputParses(_ text: String) throws {
        let decoded = try YAMLDecoder().decode([String: String].self, from: text)
        let written = try YAMLEncoder().encode(decoded)
        let again = try YAMLDecoder().decode([String: String].self, from: written)
        #expect(again == decoded, "\(written)")
    }

    /// Second fuzz finding (FuzzYAML, 280 s run), open: a mapping key that starts with a combining
    /// mark (U+06DA) inside a nested sequence loses the mark when the encoder's output is parsed back
    /// (`"\u{6DA}} a"` becomes `"} a"`). Input kept in Tests/Fuzz/Findings/.
    @Test func keyStartingWithACombiningMarkInANestedSequence() throws {
        let text = "- \u{FFFD}\"~c::\n  -   \u{6DA}} a: 1  y"
        let decoded = try YAMLDecoder().decode([[String: [[String: String]]]].self, from: text)
        let written = try YAMLEncoder().encode(decoded)
        let again = try YAMLDecoder().decode([[String: [[String: String]]]].self, from: written)
        withKnownIssue("the combining mark at the start of a nested key is lost on the way back") {
            #expect(again == decoded, "\(written)")
        }
    }
}
