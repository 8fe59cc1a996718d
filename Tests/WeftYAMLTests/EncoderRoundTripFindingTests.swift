import Foundation
import Testing
import WeftYAML

/// Inputs the fuzzer (Tests/Fuzz, target FuzzYAML) found: what the encoder writes must parse back.
@Suite struct EncoderRoundTripFindingTests {
    @Test(arguments: [
        "a\u{FFFD}\u{FFFD}\u{0}\u{FFFD}:\t\u{6DA}}\n",
        "k: \u{6DA}}\n",
        "\"\\0\": v\n",
        // Third finding: a quote followed by a combining mark inside a single-quoted scalar; and the
        // indicators a combining mark used to hide from the emitter's quoting check.
        "k: '''''\u{6DA}\u{FFFD}'''''''''''''\n",
        "k: \"a: \u{301}b\"\n",
        "k: \" \u{301}lead\"\n",
        "k: \"end:\u{301}\"\n",
    ])
    func encoderOutputParses(_ text: String) throws {
        let decoded = try YAMLDecoder().decode([String: String].self, from: text)
        let written = try YAMLEncoder().encode(decoded)
        let again = try YAMLDecoder().decode([String: String].self, from: written)
        #expect(again == decoded, "\(written)")
    }

    /// Second fuzz finding (FuzzYAML, 280 s run): a mapping key that starts with a combining mark
    /// (U+06DA) inside a nested sequence lost the mark: the emitter dropped the item's indentation by
    /// `Character`s, and the last space and the mark are one `Character`.
    @Test func keyStartingWithACombiningMarkInANestedSequence() throws {
        let text = "- \u{FFFD}\"~c::\n  -   \u{6DA}} a: 1  y"
        let decoded = try YAMLDecoder().decode([[String: [[String: String]]]].self, from: text)
        let written = try YAMLEncoder().encode(decoded)
        let again = try YAMLDecoder().decode([[String: [[String: String]]]].self, from: written)
        #expect(again == decoded, "\(written)")
    }
}
