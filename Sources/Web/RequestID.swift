/// Request ids: nginx's `$request_id` when it sends one, otherwise 32 random hex digits.
public enum RequestID {
    /// A new random id.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next()
        let low = generator.next()
        return String(unsafeUninitializedCapacity: 32) { out in
            let digits: StaticString = "0123456789abcdef"
            for index in 0..<16 {
                out[index] = digits.utf8Start[Int(truncatingIfNeeded: (high >> (60 - 4 * index)) & 15)]
                out[16 + index] = digits.utf8Start[Int(truncatingIfNeeded: (low >> (60 - 4 * index)) & 15)]
            }
            return 32
        }
    }

    /// The id if it is 8 to 64 characters of `[A-Za-z0-9_-]`, else nil (never trust a header
    /// into a log line as it is).
    public static func sanitized(_ candidate: String?) -> String? {
        guard var candidate else { return nil }
        let valid = candidate.withUTF8 { isValid(UnsafeRawBufferPointer($0)) }
        return valid ? candidate : nil
    }

    /// The id in `bytes` as a string if it is 8 to 64 characters of `[A-Za-z0-9_-]`, else nil.
    static func sanitized(_ bytes: UnsafeRawBufferPointer) -> String? {
        isValid(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
    }

    private static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 8 && bytes.count <= 64 else { return false }
        for byte in bytes {
            // Unsigned wrap-around turns each range test into one comparison.
            guard byte &- 48 < 10 || (byte | 0x20) &- 97 < 26 || byte == 45 || byte == 95 else { return false }
        }
        return true
    }
}
