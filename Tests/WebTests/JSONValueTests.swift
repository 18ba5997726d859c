import AppSupport
import Foundation
import Testing

@Suite("JSONValue: the parser and the writer")
struct JSONValueTests {
    static func reason(_ text: String) -> String? {
        do {
            _ = try JSONValue.parse(text)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("values parse as RFC 8259 says; whole numbers are integers")
    func values() throws {
        let cases: [(String, JSONValue)] = [
            ("null", .null), ("true", true), (" false ", false), ("0", 0), ("-0", 0), ("-12", -12),
            ("1.0", 1), ("1e2", 100), ("1.5e3", 1500), ("100e-2", 1), ("0.5", 0.5), ("-2.25", -2.25),
            ("9223372036854775807", .int(Int.max)), ("-9223372036854775808", .int(Int.min)),
            ("9223372036854775808", .double(9_223_372_036_854_775_808)), ("1e-400", 0),
            (#""a\"b\\c\/d\b\f\n\r\t""#, .string("a\"b\\c/d\u{8}\u{c}\n\r\t")),
            (#""\u00e9\u20AC\ud83d\ude00""#, .string("é€😀")), (#""é€😀""#, .string("é€😀")),
            ("[]", []), ("{}", [:]), (" [ 1 , [ ] , { \"a\" : null } ] ", [1, [], ["a": nil]]),
            ("\u{feff}{\"k\":\"v\"}", ["k": "v"]),
        ]
        for (text, expected) in cases {
            #expect(try JSONValue.parse(text) == expected, "\(text)")
        }
    }

    @Test("bad text is refused with what is wrong and where")
    func errors() {
        let cases: [(String, String)] = [
            ("", "the text is empty"), ("  \n", "only white space"),
            ("[1,]", "where a value should start (line 1, column 4)"),
            ("{\"a\":1,}", "expected a key (a string) but found '}' (line 1, column 8)"),
            ("{\"a\":1,\"a\":2}", "the key \"a\" appears twice in one object (line 1, column 8)"),
            ("01", "cannot start with 0"), ("+1", "unexpected '+'"), (".5", "unexpected '.'"), ("1.", "digits after '.'"),
            ("-", "digits after '-'"), ("1e", "digits in its exponent"), ("1E400", "out of range"),
            ("NaN", "unexpected 'N'"), ("nul", "unexpected 'n'"), ("true false", "unexpected 'f' after the JSON value"),
            ("\"a\tb\"", "control character (U+0009) must be escaped"), (#""\x""#, #"\x is not an escape sequence"#),
            (#""\ud800""#, "surrogate pair"), (#""\udc00x""#, "surrogate pair"), (#""\u12""#, "four hex digits"),
            ("\"open", "a string is not closed"), ("[1 2]", "expected ',' or ']' in an array but found '2'"),
            ("{\"a\" 1}", "expected ':' after a key"), ("{\"a\":1", "end of the text inside an object"),
            ("[\n  1,\n  x\n]", "(line 3, column 3)"),
        ]
        for (text, expected) in cases {
            let reason = JSONValueTests.reason(text)
            #expect(reason?.hasPrefix("invalid JSON: ") == true, "\(text.debugDescription) -> \(reason ?? "accepted")")
            #expect(reason?.contains(expected) == true, "\(text.debugDescription) -> \(reason ?? "accepted")")
        }
        // Bytes that are not UTF-8 inside a string.
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse([0x22, 0x5C, 0x6E, 0xC3, 0x22]) }
    }

    @Test("nesting is bounded: maxDepth levels parse, one more is refused")
    func depth() throws {
        let deepest = String(repeating: "[", count: JSONValue.maxDepth) + String(repeating: "]", count: JSONValue.maxDepth)
        _ = try JSONValue.parse(deepest)
        let tooDeep = String(repeating: "{\"a\":", count: JSONValue.maxDepth + 1) + "1" + String(repeating: "}", count: JSONValue.maxDepth + 1)
        #expect(JSONValueTests.reason(tooDeep)?.contains("nested deeper than \(JSONValue.maxDepth) levels") == true)
        // Far deeper text fails the same way, without exhausting the stack.
        #expect(JSONValueTests.reason(String(repeating: "[", count: 100_000)) != nil)
    }

    @Test("serialises compactly with sorted keys and escapes HTML-significant characters")
    func serialise() throws {
        let value: JSONValue = ["b": [1, 2.5, nil, true], "a": "<script>\"x\"\n</script>"]
        #expect(value.serialized == #"{"a":"\u003cscript\u003e\"x\"\n\u003c/script\u003e","b":[1,2.5,null,true]}"#)
        #expect(try JSONValue.parse(value.serialized) == value)
    }

    @Test("the writer escapes for HTML and JavaScript, sorts keys, writes non-finite numbers as null")
    func writer() {
        let value: JSONValue = [
            "z": "<a href=\"x\">&</a>\u{2028}\u{2029}\u{1b}\\\n\r\t", "a": [1, -20, 0.5, .double(.infinity), nil, true], "é": "ü",
        ]
        #expect(
            value.serialized
                == #"{"a":[1,-20,0.5,null,null,true],"z":"\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e\u2028\u2029\u001b\\\n\r\t","é":"ü"}"#)
        #expect(JSONValue.int(Int.min).serialized == "-9223372036854775808")
        #expect(JSONValue.string("").serialized == "\"\"")
    }

    /// Random documents, written by the writer and read back by this parser and by Foundation's.
    @Test("random documents round-trip through the writer, this parser and Foundation's decoder")
    func roundTrip() throws {
        var generator = SeededGenerator(seed: 20261126)
        for _ in 0..<2000 {
            let value = JSONValueTests.randomValue(depth: 0, using: &generator)
            let bytes = value.bytes
            #expect(try JSONValue.parse(bytes) == value)
            #expect(try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) == value)
        }
    }

    /// Random mutations of valid documents: whatever this parser accepts, Foundation's decoder
    /// reads as the same value (this parser is never the more lenient of the two, apart from the
    /// number forms where it is exact: there both sides are compared as numbers).
    @Test("mutated documents: nothing this parser accepts is read differently by Foundation")
    func mutations() throws {
        var generator = SeededGenerator(seed: 42)
        let alphabet = Array("{}[]\",:\\ -+.0123456789eEtrufalsn\u{0}\u{1f}ü".utf8)
        var accepted = 0
        for _ in 0..<3000 {
            var bytes = JSONValueTests.randomValue(depth: 0, using: &generator).bytes
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0...bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0 where position < bytes.count: bytes.remove(at: position)
                case 1 where position < bytes.count: bytes[position] = alphabet.randomElement(using: &generator)!
                default: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
                }
            }
            guard let ours = try? JSONValue.parse(bytes) else { continue }
            accepted += 1
            let theirs = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
            #expect(theirs == ours, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
        #expect(accepted > 100)
    }

    static func randomValue(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        let kinds = depth >= 4 ? 5 : 7
        switch Int.random(in: 0..<kinds, using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int.random(in: -1_000_000_000_000...1_000_000_000_000, using: &generator))
        case 3:
            let value = Double.random(in: -1e6...1e6, using: &generator)
            return value == value.rounded() ? .double(value + 0.5) : .double(value)
        case 4: return .string(randomString(using: &generator))
        case 5: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                members[randomString(using: &generator)] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(members)
        }
    }

    static func randomString(using generator: inout SeededGenerator) -> String {
        let pieces: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1f}", "<", ">", "&", "é", "€", "😀", "\u{2028}", "\u{2029}", "\u{7f}"]
        return (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }
}

/// A small deterministic generator (SplitMix64), so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
