import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// ISO 8601 text for dates in JSON and logs (UTC, milliseconds).
public enum Timestamps {
    /// `2026-11-25T16:28:22.123Z`.
    public static func iso8601(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        var millis = Int32(((interval - Double(seconds)) * 1000).rounded(.down))
        if millis >= 1000 {
            seconds += 1
            millis -= 1000
        }
        return format(seconds: seconds, millis: millis)
    }

    /// Parses ISO 8601 date-time text (`2026-11-25T08:00:00Z`, with or without a fraction of a
    /// second, `Z` or an offset); nil when it is not one.
    public static func parseISO8601(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }

    static func format(seconds: time_t, millis: Int32) -> String {
        var parts = tm()
        var copy = seconds
        gmtime_r(&copy, &parts)
        // Written digit by digit into a fixed buffer: this runs once per log line.
        return String(unsafeUninitializedCapacity: 24) { buffer in
            func put(_ value: Int32, _ width: Int, at offset: Int) {
                var remaining = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(48 + remaining % 10)
                    remaining /= 10
                }
            }
            put(parts.tm_year + 1900, 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(parts.tm_mon + 1, 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(parts.tm_mday, 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(parts.tm_hour, 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(parts.tm_min, 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(parts.tm_sec, 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(millis, 3, at: 20)
            buffer[23] = UInt8(ascii: "Z")
            return 24
        }
    }
}
