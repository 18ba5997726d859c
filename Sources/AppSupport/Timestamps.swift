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

    static func format(seconds: time_t, millis: Int32) -> String {
        var parts = tm()
        var copy = seconds
        gmtime_r(&copy, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(millis, 3))Z"
    }
}
