extension JSONValue {
    /// The deepest nesting of arrays and objects `parse` accepts. Parsing recurses once per
    /// level, on threads with 1 MiB stacks; real documents stay far below it.
    public static let maxDepth = 128

    /// Parses JSON text (RFC 8259, strictly: no trailing commas, comments, NaN or leading zeros;
    /// a leading byte-order mark is skipped). Numbers without a fraction or exponent that fit an
    /// `Int`, and numbers whose value is a whole number within `Int`'s range (`1.0`, `1e2`), are
    /// `.int`; the others `.double`. A key that repeats in one object is refused, as are
    /// strings that are not valid UTF-8 and nesting deeper than `maxDepth`. Throws
    /// `JSONValue.ParseError` saying what is wrong and where.
    public static func parse(_ text: some Collection<UInt8>) throws -> JSONValue {
        if let parsed = try text.withContiguousStorageIfAvailable({ try parse(buffer: $0) }) { return parsed }
        return try Array(text).withUnsafeBufferPointer { try parse(buffer: $0) }
    }

    /// Parses JSON text from a string.
    public static func parse(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { try parse(buffer: $0) }
    }

    /// What is wrong with text `parse` refused, without the "invalid JSON: " prefix (for
    /// messages that already say it is not JSON).
    public static func reason(_ error: any Error) -> String {
        (error as? ParseError)?.reason ?? "\(error)"
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var parser = JSONParser(bytes: buffer)
        return try parser.document()
    }

    /// Text that is not valid JSON.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        /// What is wrong, and where (line and column, from 1).
        public var reason: String
        public var description: String { "invalid JSON: \(reason)" }
    }
}

/// A recursive-descent parser over UTF-8 bytes.
private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func document() throws -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        guard index < bytes.count else { throw failure(index == 0 ? "the text is empty" : "the text holds only white space") }
        let result = try value()
        skipWhitespace()
        guard index == bytes.count else { throw failure("unexpected \(describe(index)) after the JSON value", at: index) }
        return result
    }

    mutating func value() throws -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of the text", at: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("unexpected \(describe(index)) where a value should start", at: index)
        }
    }

    mutating func object() throws -> JSONValue {
        let start = index
        try enter(at: start)
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure(index < bytes.count ? "expected a key (a string) but found \(describe(index))" : "unexpected end of the text inside an object", at: index)
            }
            let keyStart = index
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw failure(index < bytes.count ? "expected ':' after a key but found \(describe(index))" : "unexpected end of the text inside an object", at: index)
            }
            index += 1
            skipWhitespace()
            let member = try value()
            guard members.updateValue(member, forKey: key) == nil else {
                throw failure("the key \"\(key)\" appears twice in one object", at: keyStart)
            }
            if try closes(with: UInt8(ascii: "}"), in: "an object") { return .object(members) }
        }
    }

    /// After a member or an element: true when `close` ends the object or array (and leaves
    /// its level), false after a ',' (another follows).
    mutating func closes(with close: UInt8, in container: String) throws -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end of the text inside \(container)", at: index) }
        switch bytes[index] {
        case UInt8(ascii: ","):
            index += 1
            return false
        case close:
            index += 1
            depth -= 1
            return true
        default:
            throw failure("expected ',' or '\(describeByte(close))' in \(container) but found \(describe(index))", at: index)
        }
    }

    mutating func array() throws -> JSONValue {
        try enter(at: index)
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value())
            if try closes(with: UInt8(ascii: "]"), in: "an array") { return .array(elements) }
        }
    }

    mutating func enter(at position: Int) throws {
        depth += 1
        guard depth <= JSONValue.maxDepth else {
            throw failure("arrays and objects are nested deeper than \(JSONValue.maxDepth) levels", at: position)
        }
    }

    /// A string literal; `index` is on its opening quote.
    mutating func string() throws -> String {
        let open = index
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try decodeUTF8(UnsafeBufferPointer(rebasing: bytes[start..<index]), at: start)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("a control character (U+00\(hex(byte))) must be escaped inside a string", at: index) }
            index += 1
        }
        var text: [UInt8] = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try text.withUnsafeBufferPointer { try decodeUTF8($0, at: start) }
            case UInt8(ascii: "\\"):
                try escape(into: &text)
            case 0..<0x20:
                throw failure("a control character (U+00\(hex(byte))) must be escaped inside a string", at: index)
            default:
                text.append(byte)
                index += 1
            }
        }
        throw failure("a string is not closed", at: open)
    }

    /// One escape sequence; `index` is on its backslash.
    mutating func escape(into text: inout [UInt8]) throws {
        let start = index
        guard index + 1 < bytes.count else { throw failure("a string is not closed", at: start) }
        let letter = bytes[index + 1]
        index += 2
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(letter)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hexQuad(escapeAt: start)
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low one.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure("\\u\(hex4(scalar)) is half of a surrogate pair without its other half", at: start)
                }
                let lowStart = index
                index += 2
                let low = try hexQuad(escapeAt: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw failure("\\u\(hex4(scalar)) is half of a surrogate pair without its other half", at: start)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw failure("\\u\(hex4(scalar)) is half of a surrogate pair without its other half", at: start)
            }
            text.append(contentsOf: Unicode.UTF8.encode(Unicode.Scalar(scalar)!)!)
        default:
            throw failure("\\\(describeByte(letter)) is not an escape sequence (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)", at: start)
        }
    }

    /// The four hex digits after `\u`.
    mutating func hexQuad(escapeAt start: Int) throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("\\u needs four hex digits", at: start) }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("\\u needs four hex digits", at: start)
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    func decodeUTF8(_ buffer: UnsafeBufferPointer<UInt8>, at start: Int) throws -> String {
        guard let text = String(validating: buffer, as: UTF8.self) else {
            throw failure("a string holds bytes that are not valid UTF-8", at: start)
        }
        return text
    }

    mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
            UnsafeBufferPointer(rebasing: bytes[index..<index + count]).elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: count))
        else { throw failure("unexpected \(describe(index)) where a value should start", at: index) }
        index += count
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    mutating func number() throws -> JSONValue {
        let start = index
        func digits() -> Int {
            let first = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - first
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integerDigits = digits()
        guard integerDigits > 0 else { throw failure("a number needs digits after '-'", at: start) }
        guard integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else {
            throw failure("a number cannot start with 0 (leading zeros are not JSON)", at: start)
        }
        var whole = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            whole = false
            index += 1
            guard digits() > 0 else { throw failure("a number needs digits after '.'", at: start) }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            whole = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw failure("a number needs digits in its exponent", at: start) }
        }
        let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if whole, integerDigits <= 18 {
            // At most 18 digits always fit an Int.
            var value = 0
            for byte in text where byte != UInt8(ascii: "-") { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
            return .int(text[0] == UInt8(ascii: "-") ? -value : value)
        }
        let string = String(decoding: text, as: UTF8.self)
        if whole, let value = Int(string) { return .int(value) }
        guard let value = Double(string), value.isFinite else {
            throw failure("the number \(string.prefix(40)) is out of range", at: start)
        }
        // A whole number written with a fraction or an exponent (1.0, 1e2) is still an integer.
        if value == value.rounded(.towardZero), value > -9.223_372_036_854_775_808e18, value < 9.223_372_036_854_775_808e18 {
            return .int(Int(value))
        }
        return .double(value)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// "'x'", "byte 0xFF" or "the end of the text", for messages.
    func describe(_ position: Int) -> String {
        guard position < bytes.count else { return "the end of the text" }
        return describeByte(bytes[position]).hasPrefix("byte") ? describeByte(bytes[position]) : "'\(describeByte(bytes[position]))'"
    }

    func describeByte(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "byte 0x\(hex(byte).uppercased())"
    }

    func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    func hex4(_ value: UInt32) -> String {
        hex(UInt8(value >> 8)) + hex(UInt8(value & 0xFF))
    }

    /// A parse error at `position`, with its line and column (from 1; columns count bytes).
    func failure(_ problem: String, at position: Int? = nil) -> JSONValue.ParseError {
        guard let position else { return JSONValue.ParseError(reason: problem) }
        var line = 1
        var lineStart = 0
        for offset in 0..<min(position, bytes.count) where bytes[offset] == 0x0A {
            line += 1
            lineStart = offset + 1
        }
        return JSONValue.ParseError(reason: "\(problem) (line \(line), column \(position - lineStart + 1))")
    }
}
