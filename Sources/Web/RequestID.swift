/// Request ids: nginx's `$request_id` when it sends one, otherwise 32 random hex digits.
public enum RequestID {
    /// A new random id.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(32)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The id if it is 8 to 64 characters of `[A-Za-z0-9_-]`, else nil (never trust a header
    /// into a log line as it is).
    public static func sanitized(_ candidate: String?) -> String? {
        guard let candidate, (8...64).contains(candidate.utf8.count),
            candidate.utf8.allSatisfy({ byte in
                (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 45 || byte == 95
            })
        else { return nil }
        return candidate
    }
}
