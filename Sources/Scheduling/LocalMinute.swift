import AppSupport
import Foundation

/// A wall-clock minute in some time zone (no zone inside): the identity of a cron slot, so every host agrees.
///
/// Two hosts in the same time zone compute the same `LocalMinute` for a slot whatever their clocks'
/// sub-minute drift, and a wall-clock minute that occurs twice (the repeated hour when daylight
/// saving time ends) is still one value, so it names one slot.
///
/// The fields are not validated; `adding(minutes:)`, `date(in:)` and `weekday` read fields outside
/// their usual ranges as civil arithmetic does (month 13 is January of the next year, day 0 the last
/// day of the previous month). `init?(parsing:)` accepts only real minutes. Comparison is field by
/// field (year, month, day, hour, minute), which is chronological for real minutes.
public struct LocalMinute: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year of the Gregorian calendar (proleptic before 1582), e.g. 2026.
    public var year: Int
    /// The month, 1 (January) to 12 (December).
    public var month: Int
    /// The day of the month, 1 to 31.
    public var day: Int
    /// The hour of the day, 0 to 23.
    public var hour: Int
    /// The minute of the hour, 0 to 59.
    public var minute: Int

    /// A minute from its fields, as written on a wall clock.
    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// The wall-clock minute that `date` falls in, in `timeZone` (seconds are dropped: 02:00:59 is 02:00).
    public init(_ date: Date, in timeZone: TimeZone) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let local = seconds + timeZone.secondsFromGMT(for: date)
        self.init(minutesSinceEpoch: local.flooredDivision(by: 60))
    }

    /// The day of the week, 0 = Sunday ... 6 = Saturday, from the civil date alone (no time zone needed).
    public var weekday: Int {
        let normalized = normalizedDate
        return Self.weekday(year: normalized.year, month: normalized.month, day: normalized.day)
    }

    /// The instant this wall-clock minute starts in `timeZone`.
    ///
    /// A minute that does not exist there (skipped when daylight saving time starts, e.g. 02:30 in
    /// Paris on 2026-03-29) gives the first instant after the gap (03:00 local, the moment the clock
    /// jumped); a minute that occurs twice (when daylight saving time ends) gives its first occurrence.
    public func date(in timeZone: TimeZone) -> Date {
        let local = minutesSinceEpoch * 60
        func offset(_ instant: Int) -> Int {
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
        }
        // The offsets a day before and a day after bracket any transition near this minute.
        let offsetBefore = offset(local - 86_400)
        let offsetAfter = offset(local + 86_400)
        let early = local - offsetBefore
        let late = local - offsetAfter
        let earlyExists = offset(early) == offsetBefore
        let lateExists = offset(late) == offsetAfter
        let instant: Int
        switch (earlyExists, lateExists) {
        case (true, true): instant = min(early, late)  // repeated: the first occurrence
        case (true, false): instant = early
        case (false, true): instant = late
        case (false, false):
            // Skipped: the transition, the first instant whose wall clock is past this minute.
            var low = min(early, late)
            var high = max(early, late)
            while low < high {
                let middle = low + (high - low) / 2
                if middle + offset(middle) > local { high = middle } else { low = middle + 1 }
            }
            instant = low
        }
        return Date(timeIntervalSince1970: TimeInterval(instant))
    }

    /// The minute as `yyyy-MM-dd HH:mm`, e.g. "2026-11-25 02:00"; `init?(parsing:)` reads it back.
    public var description: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2)) \(Self.pad(hour, 2)):\(Self.pad(minute, 2))"
    }

    /// Reads `yyyy-MM-dd HH:mm` (the `description` format, a year of four or more digits); nil for
    /// any other text or for a minute that is not on the calendar (e.g. "2026-02-30 00:00").
    public init?(parsing text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard date.count == 3, time.count == 2,
              date[0].utf8.count >= 4, date[1].utf8.count == 2, date[2].utf8.count == 2,
              time[0].utf8.count == 2, time[1].utf8.count == 2,
              let year = Self.digits(date[0]), let month = Self.digits(date[1]), let day = Self.digits(date[2]),
              let hour = Self.digits(time[0]), let minute = Self.digits(time[1]),
              (1...12).contains(month), (1...Self.daysInMonth(year: year, month: month)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute)
    }

    /// This minute moved by `minutes` (negative goes back) on the wall clock: civil arithmetic with
    /// no time zone, so a day is always 1440 minutes.
    public func adding(minutes: Int) -> LocalMinute {
        LocalMinute(minutesSinceEpoch: minutesSinceEpoch + minutes)
    }

    /// Field by field: year, then month, day, hour, minute.
    public static func < (lhs: LocalMinute, rhs: LocalMinute) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute) < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute)
    }
}

// MARK: - Civil calendar arithmetic (proleptic Gregorian, no time zone)

extension LocalMinute {
    /// Minutes since 1970-01-01 00:00 on the wall clock; fields out of range carry over.
    var minutesSinceEpoch: Int {
        let monthIndex = month - 1
        let normalizedYear = year + monthIndex.flooredDivision(by: 12)
        let normalizedMonth = monthIndex.flooredModulo(12) + 1
        let days = CivilDate.days(year: normalizedYear, month: normalizedMonth, day: 1) + (day - 1)
        return days * 1440 + hour * 60 + minute
    }

    /// The minute `minutes` after 1970-01-01 00:00 on the wall clock.
    init(minutesSinceEpoch minutes: Int) {
        let days = minutes.flooredDivision(by: 1440)
        let minuteOfDay = minutes - days * 1440
        let (year, month, day) = CivilDate.date(days: days)
        self.init(year: year, month: month, day: day, hour: minuteOfDay / 60, minute: minuteOfDay % 60)
    }

    /// The same minute with every field in its usual range.
    var normalized: LocalMinute { LocalMinute(minutesSinceEpoch: minutesSinceEpoch) }

    private var normalizedDate: (year: Int, month: Int, day: Int) {
        let normalized = self.normalized
        return (normalized.year, normalized.month, normalized.day)
    }

    /// 0 = Sunday ... 6 = Saturday for a date with month 1-12 (1970-01-01 was a Thursday).
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        (CivilDate.days(year: year, month: month, day: day) + 4).flooredModulo(7)
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// 28 to 31, for month 1-12.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }

    private static func digits(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 9, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }
}

extension Int {
    /// Division rounding towards minus infinity.
    fileprivate func flooredDivision(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// The remainder of `flooredDivision(by:)`, with the sign of the divisor.
    fileprivate func flooredModulo(_ divisor: Int) -> Int {
        self - flooredDivision(by: divisor) * divisor
    }
}
