import Testing
@testable import WeftYAML

/// Reading YAML: the block and flow forms configuration files use, scalars as YAML 1.1 (libyaml, Yams)
/// reads them, and errors that name the line or the coding path.
@Suite struct YAMLDecoderTests {
    struct Orderer: Codable, Equatable {
        var name: String
        var address: String
        var raftID: UInt64
    }

    struct Batch: Codable, Equatable {
        var maxTxCount: Int?
        var timeoutMilliseconds: Int?
    }

    struct Channel: Codable, Equatable {
        var id: String
        var organizations: [String]
        var orderers: [Orderer]
        var batch: Batch?
    }

    struct Node: Codable, Equatable {
        var role: String
        var name: String
        var listen: String
        var operations: String?
        var logLevel: String?
        var channel: Channel
    }

    /// What Yams wrote for `weft network up` (sequences at their key's indentation).
    static let yamsStyle = """
    role: peer
    name: peer0.org1
    listen: 127.0.0.1:57951
    operations: 127.0.0.1:36849
    logLevel: info
    channel:
      id: mychannel
      organizations:
      - ../../crypto/ordererOrganizations/orderer/msp
      - ../../crypto/peerOrganizations/org1/msp
      orderers:
      - name: orderer0.orderer
        address: 127.0.0.1:58853
        raftID: 1
      - name: orderer1.orderer
        address: 127.0.0.1:49099
        raftID: 2
      batch:
        timeoutMilliseconds: 250

    """

    @Test func readsTheNodeConfigurationsYamsWrote() throws {
        let node = try YAMLDecoder().decode(Node.self, from: Self.yamsStyle)
        #expect(node.name == "peer0.org1")
        #expect(node.listen == "127.0.0.1:57951")
        #expect(node.channel.organizations == ["../../crypto/ordererOrganizations/orderer/msp", "../../crypto/peerOrganizations/org1/msp"])
        #expect(node.channel.orderers == [Orderer(name: "orderer0.orderer", address: "127.0.0.1:58853", raftID: 1),
                                          Orderer(name: "orderer1.orderer", address: "127.0.0.1:49099", raftID: 2)])
        #expect(node.channel.batch == Batch(maxTxCount: nil, timeoutMilliseconds: 250))
    }

    @Test func readsIndentedSequencesFlowCollectionsQuotesAndComments() throws {
        let text = """
        %YAML 1.1
        --- # a node written by hand
        role: "peer"        # quoted
        name: 'peer0.org1'
        listen: 0.0.0.0:7051
        operations: ~
        channel:
            id: weft
            organizations:
                - /etc/weft/msp/orderer   # indented sequence
                - "/etc/weft/msp/org1"

            orderers: [{name: orderer0.orderer, address: "orderer-0.orderer.weft.svc.cluster.local:7050", raftID: 1},
                       {name: orderer1.orderer, address: orderer-1:7050, raftID: 0x2}]
            batch: {maxTxCount: 500, timeoutMilliseconds: 1_000}
        ...
        """
        let node = try YAMLDecoder().decode(Node.self, from: text)
        #expect(node.role == "peer")
        #expect(node.name == "peer0.org1")
        #expect(node.operations == nil)
        #expect(node.logLevel == nil)
        #expect(node.channel.organizations == ["/etc/weft/msp/orderer", "/etc/weft/msp/org1"])
        #expect(node.channel.orderers.map(\.address) == ["orderer-0.orderer.weft.svc.cluster.local:7050", "orderer-1:7050"])
        #expect(node.channel.orderers.map(\.raftID) == [1, 2])
        #expect(node.channel.batch == Batch(maxTxCount: 500, timeoutMilliseconds: 1000))
    }

    @Test func scalarsResolveAsYAML11() throws {
        #expect(try YAMLDecoder().decode([Bool].self, from: "[true, False, yes, NO, on, off]") == [true, false, true, false, true, false])
        #expect(try YAMLDecoder().decode([Int].self, from: "[42, -7, +3, 0x1F, 0o17, 0b101, 1_000]") == [42, -7, 3, 31, 15, 5, 1000])
        #expect(try YAMLDecoder().decode([Double].self, from: "[1.5, -2e3, .inf, -.inf]") == [1.5, -2000, .infinity, -.infinity])
        #expect(try YAMLDecoder().decode([String?].self, from: "[~, null, '', 'null', x]") == [nil, nil, "", "null", "x"])
        #expect(try YAMLDecoder().decode([String].self, from: "- 123\n- true\n- 1.5") == ["123", "true", "1.5"])
        #expect(try YAMLDecoder().decode([String: Int].self, from: "{}") == [:])
        #expect(try YAMLDecoder().decode([Int].self, from: "[]") == [])
        #expect(try YAMLDecoder().decode(UInt8.self, from: "255") == 255)
    }

    @Test func quotedScalarsEscapeAndFold() throws {
        let text = #"""
        double: "tab\there \"q\" \u00e9 \x41 back\\slash"
        single: 'it''s # not a comment'
        folded: "first
          second

          third"
        joined: "one\
          two"
        plain: a plain value
          that continues # comment
        """#
        let values = try YAMLDecoder().decode([String: String].self, from: text)
        #expect(values["double"] == "tab\there \"q\" é A back\\slash")
        #expect(values["single"] == "it's # not a comment")
        #expect(values["folded"] == "first second\nthird")
        #expect(values["joined"] == "onetwo")
        #expect(values["plain"] == "a plain value that continues")
    }

    @Test func blockScalarsKeepOrFoldLines() throws {
        let text = """
        literal: |
          line one
            indented
          line three
        strip: |-
          no newline
        keep: |+
          kept

        folded: >
          joined
          words

          new paragraph
        last: x
        """
        let values = try YAMLDecoder().decode([String: String].self, from: text)
        #expect(values["literal"] == "line one\n  indented\nline three\n")
        #expect(values["strip"] == "no newline")
        #expect(values["keep"] == "kept\n\n")
        #expect(values["folded"] == "joined words\nnew paragraph\n")
        #expect(values["last"] == "x")
    }

    @Test func nestedSequencesAndEmptyValues() throws {
        struct Holder: Codable, Equatable {
            var grid: [[Int]]
            var empty: [String]?
            var missing: String?
        }
        let text = """
        grid:
        - - 1
          - 2
        - [3, 4]
        - []
        empty:
        """
        #expect(try YAMLDecoder().decode(Holder.self, from: text) == Holder(grid: [[1, 2], [3, 4], []], empty: nil, missing: nil))
    }

    @Test func unsupportedAndMalformedTextIsRefusedWithItsLine() {
        func failure(_ text: String) -> String {
            do {
                _ = try YAMLDecoder().decode([String: String].self, from: text)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(failure("a: 1\nb: 2\na: 3") == "YAML line 3: duplicate key 'a'")
        #expect(failure("a: &anchor x").contains("anchors"))
        #expect(failure("a: *alias").contains("aliases"))
        #expect(failure("a: !!str x").contains("tags"))
        #expect(failure("? complex\n: key").contains("complex mapping keys"))
        #expect(failure("a: 'open\nb: c").contains("unterminated"))
        #expect(failure("a: [1, 2\n").contains("unterminated flow"))
        #expect(failure("a:\n\tb: c").contains("tabs"))
        #expect(failure("a: b: c") == "YAML line 1: unexpected ':' in a plain value (quote it, or check the indentation)")
        #expect(failure("a: 1\n  b: 2").hasPrefix("YAML line 2"))
        #expect(failure("a: 1\n---\nb: 2").contains("several documents"))
        #expect(failure("a: \"x\" trailing").contains("unexpected text after the value"))
        #expect(failure("a: - b").contains("cannot start on the line of its key"))
        #expect(failure(": : :").hasPrefix("YAML line 1"))
        #expect(failure("a: \"\\q\"").contains("unknown escape"))
    }

    @Test func deepNestingIsRefusedNotAStackOverflow() {
        func failure(_ text: String) -> String {
            do {
                _ = try YAMLParser.parse(text)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let depth = YAMLParser.maximumDepth
        #expect(failure("a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).contains("nested more than"))
        #expect(failure("a: " + String(repeating: "{b: ", count: 50_000)).contains("nested more than"))
        let block = (0..<(depth + 5)).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
        #expect(failure(block).contains("nested more than"))
        let sequences = (0..<(depth + 5)).map { String(repeating: "  ", count: $0) + "-" }.joined(separator: "\n")
        #expect(failure(sequences).contains("nested more than"))
        // Just inside the limit is fine.
        #expect(failure("a: " + String(repeating: "[", count: depth - 2) + String(repeating: "]", count: depth - 2)) == "no error")
    }

    /// 20,000 seeded random texts: each parses or throws a `YAMLError`, never traps. A hang (a parser
    /// loop that makes no progress) is reported as this test exceeding its time limit — a minute, far
    /// above the fraction of a second the inputs take — instead of passing unnoticed in a stalled run.
    @Test(.timeLimit(.minutes(1)))
    func arbitraryTextNeverCrashesOrHangsTheParser() {
        var state: UInt64 = 0x5EED
        let alphabet = Array("ab:-[]{},'\"#&*!?|>~ \t\n\\%.0123456789")
        for _ in 0..<20_000 {
            var text = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 58)
            for _ in 0..<length {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            // Either a node or a YAMLError: no trap.
            _ = try? YAMLParser.parse(text)
        }
    }

    @Test func typeErrorsCarryTheCodingPath() {
        struct Organization: Codable { var name: String; var peers: Int; var users: Int }
        struct Specification: Codable { var peerOrganizations: [Organization] }
        do {
            _ = try YAMLDecoder().decode(Specification.self, from: "peerOrganizations: [{name: A, peers: two, users: 1}]")
            Issue.record("decoded 'two' as an Int")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["peerOrganizations", "0", "peers"])
            #expect(context.debugDescription.contains("\"two\""))
        } catch {
            Issue.record("unexpected \(error)")
        }
        do {
            _ = try YAMLDecoder().decode(Specification.self, from: "peerOrganizations:\n- {name: A, peers: 1}")
            Issue.record("decoded without 'users'")
        } catch let DecodingError.keyNotFound(key, context) {
            #expect(key.stringValue == "users")
            #expect(context.codingPath.map(\.stringValue) == ["peerOrganizations", "0"])
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: DecodingError.self) { try YAMLDecoder().decode(Int8.self, from: "300") }
        #expect(throws: DecodingError.self) { try YAMLDecoder().decode(Specification.self, from: "just text") }
    }
}
