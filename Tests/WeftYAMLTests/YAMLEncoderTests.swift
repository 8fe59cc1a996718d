import Testing
@testable import WeftYAML

/// Writing YAML: Yams' block layout, strings quoted exactly when they would read back as something
/// else, and every value reading back equal.
@Suite struct YAMLEncoderTests {
    struct Peer: Codable, Equatable {
        var name: String
        var address: String
    }

    struct Profile: Codable, Equatable {
        var channel: String
        var organizations: [String]
        var peers: [Peer]
        var nested: [[Int]]
        var limits: [String: Int]
        var empty: [String]
        var identity: String?
        var enabled: Bool
        var ratio: Double
    }

    @Test func writesTheBlockLayoutYamsWrites() throws {
        let profile = Profile(
            channel: "mychannel", organizations: ["crypto/a/msp", "crypto/b/msp"],
            peers: [Peer(name: "peer0.org1", address: "127.0.0.1:7051"), Peer(name: "peer1.org1", address: "127.0.0.1:7061")],
            nested: [[1, 2], []], limits: ["count": 500], empty: [], identity: nil, enabled: true, ratio: 0.5)
        let text = try YAMLEncoder().encode(profile)
        #expect(text == """
        channel: mychannel
        organizations:
        - crypto/a/msp
        - crypto/b/msp
        peers:
        - name: peer0.org1
          address: 127.0.0.1:7051
        - name: peer1.org1
          address: 127.0.0.1:7061
        nested:
        - - 1
          - 2
        - []
        limits:
          count: 500
        empty: []
        enabled: true
        ratio: 0.5

        """)
        #expect(try YAMLDecoder().decode(Profile.self, from: text) == profile)
    }

    @Test func quotesStringsThatWouldReadBackAsSomethingElse() throws {
        let strings = ["123", "true", "no", "null", "~", "", " lead", "trail ", "a: b", "x # y", "-dash", "[list]",
                       "{map}", "it's", "'single'", "\"double\"", "line\nbreak", "tab\tin", "bell\u{07}", "0x1F", ".inf",
                       "1e5", "key:", "---", "é ünïcode", "AND('Org1.peer','Org2.peer')", "../../crypto", "127.0.0.1:7051"]
        let text = try YAMLEncoder().encode(strings)
        #expect(try YAMLDecoder().decode([String].self, from: text) == strings)
        #expect(text.contains("- '123'\n"))
        #expect(text.contains("- it's\n"))
        #expect(text.contains("- '''single'''\n"))
        #expect(text.contains("- \"line\\nbreak\"\n"))
        #expect(text.contains("- \"bell\\x07\"\n"))
        #expect(text.contains("- AND('Org1.peer','Org2.peer')\n"))
        #expect(text.contains("- 127.0.0.1:7051\n"))
        #expect(text.contains("- é ünïcode\n"))
    }

    @Test func numbersAndTopLevelScalarsReadBack() throws {
        let values: [Double] = [0, -1.25, 1e-5, 12345678.5, .infinity, -.infinity]
        #expect(try YAMLDecoder().decode([Double].self, from: try YAMLEncoder().encode(values)) == values)
        #expect(try YAMLDecoder().decode(Double.self, from: try YAMLEncoder().encode(Double.nan)).isNaN)
        #expect(try YAMLEncoder().encode(UInt64.max) == "18446744073709551615\n")
        #expect(try YAMLDecoder().decode(UInt64.self, from: "18446744073709551615") == .max)
        #expect(try YAMLEncoder().encode("plain") == "plain\n")
        #expect(try YAMLEncoder().encode([String: Int]()) == "{}\n")
        let optional: [Int?] = [1, nil]
        #expect(try YAMLEncoder().encode(optional) == "- 1\n- null\n")
        #expect(try YAMLDecoder().decode([Int?].self, from: try YAMLEncoder().encode(optional)) == optional)
    }
}
