import FoundationEssentials

/// One cell of a result in text format: its bytes (nil when NULL), its column and type.
public struct PostgresCell {
    /// The cell's bytes, valid only while the enclosing `PostgresRows` lives; nil for NULL.
    public let bytes: UnsafeRawBufferPointer?
    /// The column's name.
    public let column: String
    /// The column's type OID.
    public let typeOID: UInt32

    /// True when the value is SQL NULL.
    public var isNull: Bool { bytes == nil }

    /// The error for a cell whose text does not parse as `type`.
    public func failure(_ type: Any.Type) -> PostgresError {
        let text = bytes.map { String(decoding: $0.prefix(40), as: UTF8.self) } ?? "NULL"
        return PostgresError(kind: .decoding, message: "column \(column) (type \(typeOID)) value \(text) is not a \(type)")
    }

    /// The bytes of a value that must not be NULL.
    func required(_ type: Any.Type) throws -> UnsafeRawBufferPointer {
        guard let bytes else {
            throw PostgresError(kind: .decoding, message: "column \(column) is NULL, expected \(type)")
        }
        return bytes
    }
}

/// A Swift type that can be read from a result cell in text format.
public protocol PostgresDecodable {
    /// Decodes the cell, throwing `PostgresError` (kind `.decoding`) when it cannot.
    static func decode(from cell: PostgresCell) throws -> Self
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Wrapped? {
        cell.isNull ? nil : try Wrapped.decode(from: cell)
    }
}

extension String: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> String {
        String(decoding: try cell.required(String.self), as: UTF8.self)
    }
}

extension Int: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Int {
        let bytes = try cell.required(Int.self)
        guard let value = parseInteger(bytes) else { throw cell.failure(Int.self) }
        return value
    }

    static func parseInteger(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        guard index < bytes.count else { return nil }
        var value = 0
        while index < bytes.count {
            let digit = Int(bytes[index]) - 48
            guard digit >= 0, digit <= 9 else { return nil }
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = negative
                ? multiplied.subtractingReportingOverflow(digit) : multiplied.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = added
            index += 1
        }
        return value
    }
}

extension Int64: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Int64 { Int64(try Int.decode(from: cell)) }
}

extension Int32: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Int32 {
        guard let value = Int32(exactly: try Int.decode(from: cell)) else { throw cell.failure(Int32.self) }
        return value
    }
}

extension Double: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Double {
        let text = String(decoding: try cell.required(Double.self), as: UTF8.self)
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Double(text) else { throw cell.failure(Double.self) }
            return value
        }
    }
}

extension Bool: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Bool {
        let bytes = try cell.required(Bool.self)
        guard bytes.count == 1 else { throw cell.failure(Bool.self) }
        switch bytes[0] {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw cell.failure(Bool.self)
        }
    }
}

extension Date: PostgresDecodable {
    /// Reads `timestamptz` (and `timestamp`, taken as UTC) in the ISO date style.
    public static func decode(from cell: PostgresCell) throws -> Date {
        let bytes = try cell.required(Date.self)
        guard let date = PostgresTimestamp.parse(bytes) else { throw cell.failure(Date.self) }
        return date
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// Reads `bytea` in hex output form (`\x0a1b...`).
    public static func decode(from cell: PostgresCell) throws -> [UInt8] {
        let bytes = try cell.required([UInt8].self)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0
        else { throw cell.failure([UInt8].self) }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity((bytes.count - 2) / 2)
        var index = 2
        while index < bytes.count {
            guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else {
                throw cell.failure([UInt8].self)
            }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}

extension PostgresTextArray: PostgresDecodable {
    /// Reads a one-dimensional `text[]` literal (`{a,"b c"}`); NULL elements are refused.
    public static func decode(from cell: PostgresCell) throws -> PostgresTextArray {
        PostgresTextArray(try parse(cell))
    }

    static func parse(_ cell: PostgresCell) throws -> [String] {
        let bytes = try cell.required([String].self)
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else {
            throw cell.failure([String].self)
        }
        var elements: [String] = []
        var current: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        var index = 1
        let end = bytes.count - 1
        if end == 1 { return [] }
        while index < end {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\\"), index + 1 < end {
                    index += 1
                    current.append(bytes[index])
                } else if byte == UInt8(ascii: "\"") {
                    quoted = false
                } else {
                    current.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") {
                quoted = true
                wasQuoted = true
            } else if byte == UInt8(ascii: ",") {
                let text = String(decoding: current, as: UTF8.self)
                if !wasQuoted && text == "NULL" { throw cell.failure([String].self) }
                elements.append(text)
                current.removeAll(keepingCapacity: true)
                wasQuoted = false
            } else {
                current.append(byte)
            }
            index += 1
        }
        let text = String(decoding: current, as: UTF8.self)
        if !wasQuoted && text == "NULL" { throw cell.failure([String].self) }
        elements.append(text)
        return elements
    }
}
