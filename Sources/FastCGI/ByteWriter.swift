#if canImport(Glibc)
import Glibc
#endif

/// Appends bytes to memory the caller sized beforehand (the response head is measured first,
/// then written into one stack buffer, with no growth checks and no allocation).
struct ByteWriter {
    private let base: UnsafeMutableRawPointer
    /// Bytes written so far.
    private(set) var count = 0

    init(_ base: UnsafeMutableRawPointer) {
        self.base = base
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        memcpy(base + count, source, bytes.count)
        count += bytes.count
    }

    mutating func append(_ text: StaticString) {
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(_ byte: UInt8) {
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    mutating func append(_ first: UInt8, _ second: UInt8) {
        base.storeBytes(of: first, toByteOffset: count, as: UInt8.self)
        base.storeBytes(of: second, toByteOffset: count + 1, as: UInt8.self)
        count += 2
    }

    /// Appends a string's UTF-8 bytes; returns where they were written.
    @discardableResult
    mutating func append(string text: String) -> UnsafeRawBufferPointer {
        let length = text.utf8.count
        let target = UnsafeMutableBufferPointer(start: (base + count).assumingMemoryBound(to: UInt8.self), count: length)
        _ = target.initialize(from: text.utf8)
        count += length
        return UnsafeRawBufferPointer(target)
    }

    /// Appends a string's UTF-8 bytes without any CR or LF.
    mutating func appendRemovingLineBreaks(_ text: String) {
        let start = count
        let written = append(string: text)
        guard memchr(written.baseAddress!, 13, written.count) != nil || memchr(written.baseAddress!, 10, written.count) != nil else { return }
        count = start
        for byte in written where byte != 13 && byte != 10 {
            base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
            count += 1
        }
    }

    /// Appends `value` in decimal (at most 20 bytes).
    mutating func append(decimal value: Int) {
        if value < 0 { append(UInt8(ascii: "-")) }
        count += DecimalText.write(value.magnitude, into: base + count)
    }
}

/// Decimal digits without a string: written from the end into a small stack buffer, then copied.
enum DecimalText {
    /// Writes `value` at `out`; returns how many bytes it wrote (at most 20).
    static func write(_ value: UInt, into out: UnsafeMutableRawPointer) -> Int {
        if value < 1000 {
            // Statuses and small lengths, without a loop.
            let digits = value >= 100 ? 3 : value >= 10 ? 2 : 1
            if digits == 3 { out.storeBytes(of: UInt8(truncatingIfNeeded: 48 + value / 100), as: UInt8.self) }
            if digits >= 2 { out.storeBytes(of: UInt8(truncatingIfNeeded: 48 + value / 10 % 10), toByteOffset: digits - 2, as: UInt8.self) }
            out.storeBytes(of: UInt8(truncatingIfNeeded: 48 + value % 10), toByteOffset: digits - 1, as: UInt8.self)
            return digits
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            var rest = value
            var start = 24
            repeat {
                start -= 1
                digits[start] = UInt8(truncatingIfNeeded: 48 &+ rest % 10)
                rest /= 10
            } while rest > 0
            let length = 24 - start
            out.copyMemory(from: digits.baseAddress! + start, byteCount: length)
            return length
        }
    }
}
