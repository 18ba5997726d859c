#if canImport(Glibc)
import Glibc
#endif

/// One `NAME=VALUE` CGI variable, read in place (libfcgi's memory, valid while a request is
/// being built): its bytes without the NUL.
struct CGIEntry {
    let bytes: UnsafeRawBufferPointer

    init(_ pointer: UnsafePointer<CChar>) {
        bytes = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
    }

    /// The value when the entry starts with `prefix` (a name and its `=`): compared eight bytes
    /// at a time, never past the entry's end.
    @inline(__always)
    func value(ifNamed prefix: StaticString) -> UnsafeRawBufferPointer? {
        let length = prefix.utf8CodeUnitCount
        guard bytes.count >= length, let base = bytes.baseAddress else { return nil }
        let expected = UnsafeRawPointer(prefix.utf8Start)
        var offset = 0
        while offset + 8 <= length {
            guard base.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == expected.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            else { return nil }
            offset += 8
        }
        while offset < length {
            guard base.load(fromByteOffset: offset, as: UInt8.self) == expected.load(fromByteOffset: offset, as: UInt8.self) else { return nil }
            offset += 1
        }
        return UnsafeRawBufferPointer(rebasing: bytes[length...])
    }

    /// True for the variables that carry header fields: `HTTP_*`, and `CONTENT_TYPE` and
    /// `CONTENT_LENGTH` when not empty.
    var carriesHeader: Bool {
        if value(ifNamed: "HTTP_") != nil { return memchr(bytes.baseAddress!, 61, bytes.count) != nil }
        if let value = value(ifNamed: "CONTENT_TYPE=") ?? value(ifNamed: "CONTENT_LENGTH=") { return !value.isEmpty }
        return false
    }
}

/// The CGI variables that carry header fields, copied as they came into one block: every
/// `NAME=VALUE` entry followed by a NUL byte. One allocation per request, read only when a
/// header is asked for. Kept in a `String` (invalid UTF-8 repaired, as each value would be on
/// its own): a string is cheaper to allocate than an array.
struct CGIHeaderBlock: Sendable {
    private let text: String

    /// Copies the entries of `environment` at the indexes set in `indexes` (bit `i` for entry
    /// `i`, below 64) and those past 63 that carry headers: `byteCount` bytes with their NULs.
    init(copying indexes: UInt64, totalling byteCount: Int, from environment: UnsafePointer<UnsafeMutablePointer<CChar>?>) {
        guard byteCount > 0 else {
            text = ""
            return
        }
        text = String(unsafeUninitializedCapacity: byteCount) { buffer in
            var offset = 0
            func copy(_ pointer: UnsafeMutablePointer<CChar>) {
                let length = strlen(pointer) + 1
                UnsafeMutableRawPointer(buffer.baseAddress! + offset).copyMemory(from: pointer, byteCount: length)
                offset += length
            }
            var remaining = indexes
            while remaining != 0 {
                copy(environment[remaining.trailingZeroBitCount]!)
                remaining &= remaining - 1
            }
            // Past the first 64 entries (nginx sends about 25), each one is looked at again.
            var index = 0
            while index < 64, environment[index] != nil { index += 1 }
            while let pointer = environment[index] {
                index += 1
                if pointer[0] == 72 || pointer[0] == 67, CGIEntry(pointer).carriesHeader { copy(pointer) }
            }
            return offset
        }
    }

    /// Calls `body` with each entry's name and value, in order.
    func forEach(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Void) {
        var text = text
        text.withUTF8 { utf8 in
            let block = UnsafeRawBufferPointer(utf8)
            guard let base = block.baseAddress else { return }
            var start = 0
            while start < block.count {
                let end = memchr(base + start, 0, block.count - start).map { base.distance(to: UnsafeRawPointer($0)) } ?? block.count
                if let equals = memchr(base + start, 61, end - start) {
                    let nameEnd = base.distance(to: UnsafeRawPointer(equals))
                    body(
                        UnsafeRawBufferPointer(start: base + start, count: nameEnd - start),
                        UnsafeRawBufferPointer(start: base + nameEnd + 1, count: end - nameEnd - 1))
                }
                start = end + 1
            }
        }
    }

    /// True for `HTTP_*` names.
    static func isHTTPHeader(_ name: UnsafeRawBufferPointer) -> Bool {
        name.count >= 5 && memcmp(name.baseAddress!, "HTTP_", 5) == 0
    }

    /// Byte equality with a constant.
    static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        bytes.count == literal.utf8CodeUnitCount && (bytes.count == 0 || memcmp(bytes.baseAddress!, literal.utf8Start, bytes.count) == 0)
    }
}
