/// Reads the stream of `COPY ... TO STDOUT (FORMAT binary)`: the header, then each tuple's fields
/// (raw bytes in each type's binary form, nil for NULL), then the trailer. Feed it the chunks
/// `copyOut` hands over, in order; tuples may span chunks (they are put back together) but
/// normally each chunk is one tuple and is read in place, without copying.
///
/// Binary output has no escaping at all, which is why it suits values such as JSON text, whose
/// backslashes the text format would double.
public struct PostgresBinaryCopyReader {
    private var pending: [UInt8] = []
    private var sawHeader = false
    /// True once the trailer was read.
    public private(set) var finished = false
    /// Tuples read so far.
    public private(set) var tuples = 0

    /// The 11-byte signature that starts every binary COPY stream.
    static let signature: [UInt8] = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00]

    /// A reader at the start of a stream.
    public init() {}

    /// Reads `chunk`, calling `tuple` with the fields of every tuple it completes. The field
    /// buffers are valid only during the call.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, tuple: ([UnsafeRawBufferPointer?]) throws -> Void) throws {
        if pending.isEmpty {
            let used = try parse(chunk, tuple: tuple)
            if used < chunk.count { pending.append(contentsOf: chunk[used...]) }
        } else {
            pending.append(contentsOf: chunk)
            let whole = pending
            let used = try whole.withUnsafeBytes { try parse($0, tuple: tuple) }
            pending.removeFirst(used)
        }
    }

    /// Checks that the stream ended with its trailer and nothing was left over.
    public func finish() throws {
        guard finished, pending.isEmpty else {
            throw PostgresError(kind: .decoding, message: "binary COPY stream ended early (\(tuples) tuples read)")
        }
    }

    /// Parses as much of `data` as forms complete pieces; returns the bytes used.
    private mutating func parse(_ data: UnsafeRawBufferPointer, tuple: ([UnsafeRawBufferPointer?]) throws -> Void) throws -> Int {
        var offset = 0
        func int16(at position: Int) -> Int { Int(Int16(bigEndian: data.loadUnaligned(fromByteOffset: position, as: Int16.self))) }
        func int32(at position: Int) -> Int { Int(Int32(bigEndian: data.loadUnaligned(fromByteOffset: position, as: Int32.self))) }
        if !sawHeader {
            let signature = PostgresBinaryCopyReader.signature
            guard data.prefix(signature.count).elementsEqual(signature.prefix(min(data.count, signature.count))) else {
                throw PostgresError(kind: .decoding, message: "not a binary COPY stream (bad signature)")
            }
            let fixed = signature.count + 8
            guard data.count >= fixed else { return 0 }
            let flags = int32(at: 11)
            guard flags & (1 << 16) == 0 else {
                throw PostgresError(kind: .decoding, message: "binary COPY with OIDs is not supported")
            }
            let extensionLength = int32(at: 15)
            guard extensionLength >= 0 else { throw PostgresError(kind: .decoding, message: "bad binary COPY header") }
            guard data.count >= fixed + extensionLength else { return 0 }
            offset = fixed + extensionLength
            sawHeader = true
        }
        var fields: [UnsafeRawBufferPointer?] = []
        while offset < data.count {
            guard !finished else { throw PostgresError(kind: .decoding, message: "data after the binary COPY trailer") }
            guard data.count - offset >= 2 else { return offset }
            let count = int16(at: offset)
            if count == -1 {
                finished = true
                offset += 2
                continue
            }
            guard count >= 0 else { throw PostgresError(kind: .decoding, message: "bad binary COPY field count \(count)") }
            var position = offset + 2
            fields.removeAll(keepingCapacity: true)
            for _ in 0..<count {
                guard data.count - position >= 4 else { return offset }
                let length = int32(at: position)
                position += 4
                if length == -1 {
                    fields.append(nil)
                    continue
                }
                guard length >= 0 else { throw PostgresError(kind: .decoding, message: "bad binary COPY field length \(length)") }
                guard data.count - position >= length else { return offset }
                fields.append(UnsafeRawBufferPointer(rebasing: data[position..<(position + length)]))
                position += length
            }
            try tuple(fields)
            tuples += 1
            offset = position
        }
        return offset
    }
}

/// Values in Postgres's binary format, as they come out of a binary COPY.
public enum PostgresBinary {
    /// An `int8` (or `int4`, `int2`) field.
    public static func integer(_ field: UnsafeRawBufferPointer?) throws -> Int {
        guard let field else { throw PostgresError(kind: .decoding, message: "integer field is NULL") }
        switch field.count {
        case 8: return Int(Int64(bigEndian: field.loadUnaligned(as: Int64.self)))
        case 4: return Int(Int32(bigEndian: field.loadUnaligned(as: Int32.self)))
        case 2: return Int(Int16(bigEndian: field.loadUnaligned(as: Int16.self)))
        default: throw PostgresError(kind: .decoding, message: "integer field of \(field.count) bytes")
        }
    }

    /// A `timestamptz` (or `timestamp`) field: microseconds since 2000-01-01 00:00 UTC.
    public static func timestampMicroseconds(_ field: UnsafeRawBufferPointer?) throws -> Int64 {
        guard let field, field.count == 8 else { throw PostgresError(kind: .decoding, message: "timestamp field is not 8 bytes") }
        return Int64(bigEndian: field.loadUnaligned(as: Int64.self))
    }

    /// The exact text of a `timestamptz` given in microseconds since 2000-01-01 UTC
    /// (`2026-11-25 08:00:00.123456+00`), which Postgres reads back as the same instant. Integer
    /// arithmetic only: a `Date` (a `Double`) would lose the last microsecond.
    public static func timestampText(microseconds: Int64) -> String {
        // 946,684,800 s from 1970-01-01 to 2000-01-01.
        PostgresTimestamp.format(microsecondsSinceEpoch: microseconds + 946_684_800_000_000)
    }
}
