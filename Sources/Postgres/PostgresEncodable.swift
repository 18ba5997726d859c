import FoundationEssentials

/// A Swift value that can be sent as a query parameter.
public protocol PostgresEncodable: Sendable {
    /// The value in Postgres's text format, with its type.
    var postgresBind: PostgresBind { get }
}

extension String: PostgresEncodable {
    /// Sent with an inferred type, so a string can fill a `text`, `varchar` or enum parameter.
    public var postgresBind: PostgresBind { PostgresBind(text: self, typeOID: PostgresTypeOID.unknown) }
}

extension Substring: PostgresEncodable {
    public var postgresBind: PostgresBind { String(self).postgresBind }
}

extension Int: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: PostgresTypeOID.int8) }
}

extension Int64: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: PostgresTypeOID.int8) }
}

extension Int32: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: PostgresTypeOID.int4) }
}

extension Double: PostgresEncodable {
    public var postgresBind: PostgresBind {
        let text: String
        if isNaN { text = "NaN" } else if isInfinite { text = self > 0 ? "Infinity" : "-Infinity" } else { text = "\(self)" }
        return PostgresBind(text: text, typeOID: PostgresTypeOID.float8)
    }
}

extension Bool: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: self ? "t" : "f", typeOID: PostgresTypeOID.bool) }
}

extension Date: PostgresEncodable {
    /// Sent as `timestamptz` in UTC with microseconds.
    public var postgresBind: PostgresBind {
        PostgresBind(text: PostgresTimestamp.format(self), typeOID: PostgresTypeOID.timestamptz)
    }
}

extension Array: PostgresEncodable where Element == UInt8 {
    /// Sent as `bytea` in hex form.
    public var postgresBind: PostgresBind {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text = [UInt8](repeating: 0, count: 2 + count * 2)
        text[0] = UInt8(ascii: "\\")
        text[1] = UInt8(ascii: "x")
        for (index, byte) in enumerated() {
            text[2 + index * 2] = digits[Int(byte >> 4)]
            text[3 + index * 2] = digits[Int(byte & 0x0f)]
        }
        return PostgresBind(text: String(decoding: text, as: UTF8.self), typeOID: PostgresTypeOID.bytea)
    }
}

/// A `jsonb` value given as its JSON text. Use `PostgresJSON(encoding:)` to encode a Swift value.
public struct PostgresJSON: PostgresEncodable, PostgresDecodable, Hashable {
    /// The JSON document's text.
    public var text: String

    /// Wraps JSON text as it is.
    public init(text: String) {
        self.text = text
    }

    /// Encodes an `Encodable` value to JSON.
    public init<Value: Encodable>(encoding value: Value) throws {
        let data = try JSONEncoder().encode(value)
        self.text = String(decoding: data, as: UTF8.self)
    }

    /// Decodes the JSON into a `Decodable` type.
    public func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw PostgresError(kind: .decoding, message: "JSON does not decode as \(type): \(error)")
        }
    }

    public var postgresBind: PostgresBind { PostgresBind(text: text, typeOID: PostgresTypeOID.jsonb) }

    public static func decode(from cell: PostgresCell) throws -> PostgresJSON {
        PostgresJSON(text: try String.decode(from: cell))
    }
}

/// A text array (`text[]`), sent in Postgres's array literal syntax.
public struct PostgresTextArray: PostgresEncodable, Hashable {
    /// The elements.
    public var elements: [String]

    /// Wraps the elements.
    public init(_ elements: [String]) {
        self.elements = elements
    }

    public var postgresBind: PostgresBind {
        let quoted = elements.map { element -> String in
            var out = "\""
            for character in element {
                if character == "\"" || character == "\\" { out.append("\\") }
                out.append(character)
            }
            return out + "\""
        }
        return PostgresBind(text: "{" + quoted.joined(separator: ",") + "}", typeOID: PostgresTypeOID.textArray)
    }
}
