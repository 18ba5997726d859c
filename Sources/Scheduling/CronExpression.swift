import Foundation

/// A five-field cron schedule as Debian's Vixie cron reads it (crontab(5)):
/// `minute hour day-of-month month day-of-week`.
///
/// Each field is `*`, a number, a range `a-b`, a step `*/n`, `a-b/n` or `a/n` (from `a` to the end
/// of the field's range), or a comma-separated list of those. Months may be written `jan`-`dec` and
/// days of the week `sun`-`sat` (any case, also in ranges such as `mon-fri`); day-of-week 0 and 7
/// are both Sunday. The macros `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`
/// and `@hourly` stand for their five fields; `@reboot` is refused (it has no time).
///
/// The day rule is Vixie cron's: when both day-of-month and day-of-week are restricted (neither
/// field starts with `*`), a day matches when either matches (`0 0 13 * fri` runs on every 13th and
/// every Friday); otherwise both must match.
///
/// Slots are wall-clock minutes (`LocalMinute`). `nextSlot` and `latestSlot` work on the wall
/// clock alone; `nextRun` and `latestSlot(atOrBefore:in:)` bring in a time zone.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    /// The source text with leading and trailing whitespace removed. Two expressions are equal
    /// when their texts are; `hasSameSchedule(as:)` compares what they match.
    public let description: String

    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField

    /// How many years past its starting point `nextSlot` searches before giving up: enough for
    /// February 29 across a century year that is not a leap year (2096 to 2104).
    static let searchYears = 8

    /// The most wall-clock minutes `latestSlot` looks back, whatever limit it is given: nine years,
    /// more than the longest gap between two slots of any expression that has slots.
    static let maximumLookBackMinutes = 9 * 366 * 1440

    /// Parses `text`: five fields separated by runs of spaces or tabs, or a macro such as `@daily`
    /// (macro and month and day names are read in any case). Leading and trailing whitespace is ignored.
    public init(_ text: String) throws(CronExpressionError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        description = trimmed
        let fields: [Substring]
        if trimmed.hasPrefix("@") {
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let expansion: String
            switch words[0].lowercased() {
            case "@yearly", "@annually": expansion = "0 0 1 1 *"
            case "@monthly": expansion = "0 0 1 * *"
            case "@weekly": expansion = "0 0 * * 0"
            case "@daily", "@midnight": expansion = "0 0 * * *"
            case "@hourly": expansion = "0 * * * *"
            case "@reboot": throw .rebootHasNoSchedule
            default: throw .unknownMacro(String(words[0]))
            }
            guard words.count == 1 else { throw .macroTakesNoFields(trimmed) }
            fields = expansion.split(separator: " ")
        } else {
            fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 5 else { throw .wrongFieldCount(found: fields.count) }
        }
        minutes = try CronField(.minute, fields[0])
        hours = try CronField(.hour, fields[1])
        daysOfMonth = try CronField(.dayOfMonth, fields[2])
        months = try CronField(.month, fields[3])
        daysOfWeek = try CronField(.dayOfWeek, fields[4])
    }

    /// Whether this expression and `other` match exactly the same minutes, however they are written
    /// (`0 0 * * 7` and `@weekly`, for instance).
    public func hasSameSchedule(as other: CronExpression) -> Bool {
        minutes.values == other.minutes.values && hours.values == other.hours.values
            && months.values == other.months.values && effectiveDays == other.effectiveDays
    }

    /// The day fields' values and rule, with "either, and one of them matches every day" read as
    /// "every day", so that equal schedules compare equal.
    private var effectiveDays: (dayOfMonth: UInt64, dayOfWeek: UInt64, either: Bool) {
        if usesEitherDayRule && (daysOfMonth.matchesEverything || daysOfWeek.matchesEverything) {
            return (CronField.allDaysOfMonth, CronField.allDaysOfWeek, false)
        }
        return (daysOfMonth.values, daysOfWeek.values, usesEitherDayRule)
    }

    /// Whether cron runs the entry in this wall-clock minute (fields out of range are normalised first).
    public func matches(_ minute: LocalMinute) -> Bool {
        let minute = minute.normalized
        return minutes.contains(minute.minute) && hours.contains(minute.hour) && months.contains(minute.month)
            && dayMatches(year: minute.year, month: minute.month, day: minute.day)
    }

    /// The next instant strictly after `date` at which cron (Debian's Vixie cron) would run the entry, in `timeZone`.
    ///
    /// This is the start of the next slot (`nextSlot`) whose instant (`LocalMinute.date(in:)`) is
    /// after `date`. A slot skipped when daylight saving time starts runs at the first instant after
    /// the gap, as Debian cron runs fixed-time jobs there (several slots of the gap, like `*/15`'s
    /// 02:00 to 02:45, collapse into that one instant). In the hour repeated when daylight saving
    /// time ends, a slot runs once, at its first occurrence: a slot is a wall-clock minute, so the
    /// second pass through the hour has no slots of its own (Debian cron, unlike this, runs entries
    /// whose minute or hour field starts with `*` again during the second pass).
    /// Nil when there is no slot within about eight years.
    public func nextRun(after date: Date, in timeZone: TimeZone) -> Date? {
        var minute = LocalMinute(date, in: timeZone)
        while let slot = nextSlot(after: minute) {
            let instant = slot.date(in: timeZone)
            if instant > date { return instant }
            minute = slot
        }
        return nil
    }

    /// The next wall-clock slot strictly after `minute`.
    ///
    /// Skips whole months, days and hours that cannot match, so it does little work even for rare
    /// schedules; it searches at most eight years past `minute` (enough for every February 29) and
    /// returns nil when nothing matches there (e.g. `0 0 30 2 *`).
    public func nextSlot(after minute: LocalMinute) -> LocalMinute? {
        var steps = 0
        return nextSlot(after: minute, steps: &steps)
    }

    /// The latest slot at or before `date`'s wall-clock minute in `timeZone` (looking back at most `limit` minutes of wall clock, default about 366 days), or nil.
    ///
    /// Works on the wall clock: at 03:00 just after clocks jumped from 02:00 to 03:00, the latest
    /// slot of `0 2 * * *` is today's 02:00 (the skipped one) and that of `*/15 * * * *` is 03:00.
    /// A negative limit counts as 0 (only the current minute); a limit above nine years counts as
    /// nine years, which changes nothing since an expression that has slots has one every eight
    /// years and a day at least.
    public func latestSlot(atOrBefore date: Date, in timeZone: TimeZone, lookBackMinutes limit: Int = 527_040) -> LocalMinute? {
        latestSlot(atOrBefore: LocalMinute(date, in: timeZone), lookBackMinutes: limit)
    }

    /// The latest slot at or before the wall-clock `minute`, looking back at most `limit` minutes
    /// (default 366 days; negative counts as 0, more than nine years as nine years), or nil.
    public func latestSlot(atOrBefore minute: LocalMinute, lookBackMinutes limit: Int = 527_040) -> LocalMinute? {
        let start = minute.normalized
        let earliest = start.adding(minutes: -min(max(limit, 0), Self.maximumLookBackMinutes))
        var steps = 0
        return latestSlot(atOrBefore: start, notBefore: earliest, steps: &steps)
    }
}

// MARK: - Search

extension CronExpression {
    /// Vixie cron's rule: with both day fields restricted (neither starts with `*`), either may match.
    var usesEitherDayRule: Bool {
        !daysOfMonth.startsWithStar && !daysOfWeek.startsWithStar
    }

    /// Whether the day fields match the date (month 1-12, day valid for it).
    func dayMatches(year: Int, month: Int, day: Int) -> Bool {
        let dayOfMonth = daysOfMonth.contains(day)
        let dayOfWeek = daysOfWeek.contains(LocalMinute.weekday(year: year, month: month, day: day))
        return usesEitherDayRule ? (dayOfMonth || dayOfWeek) : (dayOfMonth && dayOfWeek)
    }

    /// `nextSlot(after:)`, counting loop iterations in `steps` (so tests can bound the work).
    func nextSlot(after minute: LocalMinute, steps: inout Int) -> LocalMinute? {
        let start = minute.adding(minutes: 1)
        var (year, month, day, hour, minute) = (start.year, start.month, start.day, start.hour, start.minute)
        let lastYear = start.year + Self.searchYears
        while year <= lastYear {
            steps += 1
            guard let matchingMonth = months.next(atOrAfter: month) else {
                (year, month, day, hour, minute) = (year + 1, 1, 1, 0, 0)
                continue
            }
            if matchingMonth != month {
                (month, day, hour, minute) = (matchingMonth, 1, 0, 0)
            }
            if day > LocalMinute.daysInMonth(year: year, month: month) {
                (month, day, hour, minute) = (month + 1, 1, 0, 0)
                if month > 12 { (year, month) = (year + 1, 1) }
                continue
            }
            guard dayMatches(year: year, month: month, day: day), let matchingHour = hours.next(atOrAfter: hour) else {
                (day, hour, minute) = (day + 1, 0, 0)
                continue
            }
            if matchingHour != hour {
                (hour, minute) = (matchingHour, 0)
            }
            guard let matchingMinute = minutes.next(atOrAfter: minute) else {
                (hour, minute) = (hour + 1, 0)
                continue
            }
            return LocalMinute(year: year, month: month, day: day, hour: hour, minute: matchingMinute)
        }
        return nil
    }

    /// The latest slot in `earliest...start` (both normalised), counting loop iterations in `steps`.
    func latestSlot(atOrBefore start: LocalMinute, notBefore earliest: LocalMinute, steps: inout Int) -> LocalMinute? {
        var (year, month, day, hour, minute) = (start.year, start.month, start.day, start.hour, start.minute)
        while year >= earliest.year {
            steps += 1
            guard let matchingMonth = months.previous(atOrBefore: month) else {
                (year, month, day, hour, minute) = (year - 1, 12, 31, 23, 59)
                continue
            }
            if matchingMonth != month {
                (month, day, hour, minute) = (matchingMonth, 31, 23, 59)
            }
            let length = LocalMinute.daysInMonth(year: year, month: month)
            if day > length {
                (day, hour, minute) = (length, 23, 59)
            }
            if day < 1 {
                (month, day, hour, minute) = (month - 1, 31, 23, 59)
                if month < 1 { (year, month) = (year - 1, 12) }
                continue
            }
            guard dayMatches(year: year, month: month, day: day), let matchingHour = hours.previous(atOrBefore: hour) else {
                (day, hour, minute) = (day - 1, 23, 59)
                continue
            }
            if matchingHour != hour {
                (hour, minute) = (matchingHour, 59)
            }
            guard let matchingMinute = minutes.previous(atOrBefore: minute) else {
                (hour, minute) = (hour - 1, 59)
                continue
            }
            let slot = LocalMinute(year: year, month: month, day: day, hour: hour, minute: matchingMinute)
            return slot >= earliest ? slot : nil
        }
        return nil
    }
}
