import Foundation
import Testing

@testable import Scheduling

/// Fixtures shared by the cron tests (one namespace, so other suites of this target can't clash).
enum CronFixtures {
    static let utc = TimeZone(identifier: "UTC")!
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    /// An instant from an ISO 8601 text with its offset, e.g. "2026-03-29T03:00:00+02:00".
    static func instant(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { preconditionFailure("bad test date \(text)") }
        return date
    }

    /// A wall-clock minute from "yyyy-MM-dd HH:mm".
    static func minute(_ text: String) -> LocalMinute {
        guard let minute = LocalMinute(parsing: text) else { preconditionFailure("bad test minute \(text)") }
        return minute
    }

    /// The successive runs of `expression` after `start`.
    static func runs(_ expression: String, after start: Date, in timeZone: TimeZone, count: Int) throws -> [Date] {
        let parsed = try CronExpression(expression)
        var runs: [Date] = []
        var last = start
        for _ in 0..<count {
            guard let next = parsed.nextRun(after: last, in: timeZone) else { break }
            runs.append(next)
            last = next
        }
        return runs
    }

    /// The successive slots of `expression` after `start`.
    static func slots(_ expression: String, after start: LocalMinute, count: Int) throws -> [LocalMinute] {
        let parsed = try CronExpression(expression)
        var slots: [LocalMinute] = []
        var last = start
        for _ in 0..<count {
            guard let next = parsed.nextSlot(after: last) else { break }
            slots.append(next)
            last = next
        }
        return slots
    }
}

/// `nextRun` and `nextSlot` on the wall clock and in UTC: the product's schedules, the day rule,
/// month ends, leap days, rollovers, and a comparison with a minute-by-minute reference.
@Suite("Cron next run")
struct CronNextRunTests {
    typealias F = CronFixtures

    /// Wednesday 2026-11-25 10:17:20 UTC.
    static let start = CronFixtures.instant("2026-11-25T10:17:20Z")

    /// The product's seven schedules and their next three runs from `start`, in UTC.
    @Test(arguments: [
        ("0 2 * * *", ["2026-11-26T02:00:00Z", "2026-11-27T02:00:00Z", "2026-11-28T02:00:00Z"]),
        ("0 6 * * *", ["2026-11-26T06:00:00Z", "2026-11-27T06:00:00Z", "2026-11-28T06:00:00Z"]),
        ("0 */2 * * *", ["2026-11-25T12:00:00Z", "2026-11-25T14:00:00Z", "2026-11-25T16:00:00Z"]),
        ("0 3 * * 0", ["2026-11-29T03:00:00Z", "2026-12-06T03:00:00Z", "2026-12-13T03:00:00Z"]),
        ("0 7 * * 1", ["2026-11-30T07:00:00Z", "2026-12-07T07:00:00Z", "2026-12-14T07:00:00Z"]),
        ("*/15 * * * *", ["2026-11-25T10:30:00Z", "2026-11-25T10:45:00Z", "2026-11-25T11:00:00Z"]),
        ("0 8 * * *", ["2026-11-26T08:00:00Z", "2026-11-27T08:00:00Z", "2026-11-28T08:00:00Z"]),
    ])
    func productSchedules(expression: String, expected: [String]) throws {
        #expect(try F.runs(expression, after: Self.start, in: F.utc, count: 3) == expected.map(F.instant))
    }

    @Test func nextRunIsStrictlyAfter() throws {
        let daily = try CronExpression("0 2 * * *")
        #expect(daily.nextRun(after: F.instant("2026-11-25T02:00:00Z"), in: F.utc) == F.instant("2026-11-26T02:00:00Z"))
        #expect(daily.nextRun(after: F.instant("2026-11-25T01:59:59Z"), in: F.utc) == F.instant("2026-11-25T02:00:00Z"))
        let halfSecondBefore = F.instant("2026-11-25T02:00:00Z").addingTimeInterval(-0.5)
        #expect(daily.nextRun(after: halfSecondBefore, in: F.utc) == F.instant("2026-11-25T02:00:00Z"))
        let halfSecondAfter = F.instant("2026-11-25T02:00:00Z").addingTimeInterval(0.5)
        #expect(daily.nextRun(after: halfSecondAfter, in: F.utc) == F.instant("2026-11-26T02:00:00Z"))
        let everyMinute = try CronExpression("* * * * *")
        #expect(everyMinute.nextRun(after: F.instant("2026-11-25T10:17:00Z"), in: F.utc) == F.instant("2026-11-25T10:18:00Z"))
        #expect(everyMinute.nextRun(after: F.instant("1969-12-31T23:59:30Z"), in: F.utc) == F.instant("1970-01-01T00:00:00Z"))
    }

    @Test func nextRunInAZoneIsTheWallClockThere() throws {
        // 02:00 in Paris in November is 01:00 UTC; in New York 07:00 UTC.
        let daily = try CronExpression("0 2 * * *")
        #expect(daily.nextRun(after: Self.start, in: F.paris) == F.instant("2026-11-26T02:00:00+01:00"))
        #expect(daily.nextRun(after: Self.start, in: F.newYork) == F.instant("2026-11-26T02:00:00-05:00"))
        // Wednesday 05:17 in New York: the Monday 07:00 entry runs next Monday, New York time.
        #expect(try CronExpression("0 7 * * 1").nextRun(after: Self.start, in: F.newYork) == F.instant("2026-11-30T07:00:00-05:00"))
    }

    @Test func slotsOfTheProductSchedules() throws {
        let from = F.minute("2026-11-25 10:17")
        #expect(try F.slots("0 */2 * * *", after: from, count: 8).map(\.description) == [
            "2026-11-25 12:00", "2026-11-25 14:00", "2026-11-25 16:00", "2026-11-25 18:00",
            "2026-11-25 20:00", "2026-11-25 22:00", "2026-11-26 00:00", "2026-11-26 02:00",
        ])
        #expect(try F.slots("0 3 * * 0", after: from, count: 2).map(\.description) == ["2026-11-29 03:00", "2026-12-06 03:00"])
        #expect(try F.slots("*/15 * * * *", after: F.minute("2026-12-31 23:30"), count: 3).map(\.description) == [
            "2026-12-31 23:45", "2027-01-01 00:00", "2027-01-01 00:15",
        ])
    }

    @Test func eitherDayRuleRunsOnThe13thAndOnFridays() throws {
        // January 2026: Fridays 2, 9, 16, 23, 30; the 13th is a Tuesday.
        #expect(try F.slots("0 0 13 * fri", after: F.minute("2026-01-01 00:00"), count: 7).map(\.description) == [
            "2026-01-02 00:00", "2026-01-09 00:00", "2026-01-13 00:00", "2026-01-16 00:00",
            "2026-01-23 00:00", "2026-01-30 00:00", "2026-02-06 00:00",
        ])
        // Friday the 13th itself is one slot, not two.
        #expect(try F.slots("0 0 13 * fri", after: F.minute("2026-03-12 00:00"), count: 2).map(\.description) == [
            "2026-03-13 00:00", "2026-03-20 00:00",
        ])
        // A day field starting with `*` makes both fields required: odd days that are Fridays.
        #expect(try F.slots("0 0 */2 * fri", after: F.minute("2026-01-01 00:00"), count: 3).map(\.description) == [
            "2026-01-09 00:00", "2026-01-23 00:00", "2026-02-13 00:00",
        ])
        // With day-of-week `*`, only the 13th.
        #expect(try F.slots("0 0 13 * *", after: F.minute("2026-01-01 00:00"), count: 2).map(\.description) == [
            "2026-01-13 00:00", "2026-02-13 00:00",
        ])
    }

    @Test func leapDays() throws {
        #expect(try F.slots("0 0 29 2 *", after: F.minute("2026-03-01 00:00"), count: 3).map(\.description) == [
            "2028-02-29 00:00", "2032-02-29 00:00", "2036-02-29 00:00",
        ])
        // 2100 is not a leap year: eight years between two February 29ths, still found.
        #expect(try F.slots("0 0 29 2 *", after: F.minute("2096-03-01 00:00"), count: 1).map(\.description) == ["2104-02-29 00:00"])
        #expect(try F.slots("0 0 29 2 *", after: F.minute("2000-02-28 12:00"), count: 1).map(\.description) == ["2000-02-29 00:00"])
        #expect(try F.slots("0 12 28-31 2 *", after: F.minute("2027-02-27 00:00"), count: 2).map(\.description) == [
            "2027-02-28 12:00", "2028-02-28 12:00",
        ])
        #expect(try CronExpression("0 0 29 2 *").nextRun(after: F.instant("2026-11-25T00:00:00Z"), in: F.utc) == F.instant("2028-02-29T00:00:00Z"))
    }

    @Test func monthEndsSkipShortMonths() throws {
        #expect(try F.slots("0 0 31 * *", after: F.minute("2026-01-31 00:00"), count: 4).map(\.description) == [
            "2026-03-31 00:00", "2026-05-31 00:00", "2026-07-31 00:00", "2026-08-31 00:00",
        ])
        #expect(try F.slots("0 0 30 * *", after: F.minute("2026-01-30 00:00"), count: 2).map(\.description) == [
            "2026-03-30 00:00", "2026-04-30 00:00",
        ])
    }

    @Test func impossibleSchedulesHaveNoSlot() throws {
        for text in ["0 0 30 2 *", "0 0 31 4 *", "0 0 31 apr,jun,sep,nov *", "0 0 30,31 2 *"] {
            let expression = try CronExpression(text)
            #expect(expression.nextSlot(after: F.minute("2026-01-01 00:00")) == nil, "\(text)")
            #expect(expression.nextRun(after: Self.start, in: F.utc) == nil, "\(text)")
        }
    }

    @Test func rolloversOfHourDayMonthAndYear() throws {
        #expect(try F.slots("0 0 1 1 *", after: F.minute("2026-12-31 23:59"), count: 2).map(\.description) == [
            "2027-01-01 00:00", "2028-01-01 00:00",
        ])
        #expect(try F.slots("59 23 31 12 *", after: F.minute("2026-12-31 23:59"), count: 1).map(\.description) == ["2027-12-31 23:59"])
        #expect(try F.slots("* * * * *", after: F.minute("2026-12-31 23:59"), count: 1).map(\.description) == ["2027-01-01 00:00"])
        #expect(try F.slots("0 * * * *", after: F.minute("2026-02-28 23:00"), count: 2).map(\.description) == [
            "2026-03-01 00:00", "2026-03-01 01:00",
        ])
        #expect(try F.slots("30 0 1 * *", after: F.minute("2026-04-01 00:30"), count: 1).map(\.description) == ["2026-05-01 00:30"])
        #expect(try F.slots("5 4 * * *", after: F.minute("2026-06-30 04:06"), count: 1).map(\.description) == ["2026-07-01 04:05"])
    }

    @Test func namesAndSundayAsSeven() throws {
        #expect(try F.slots("0 12 * jan,jul mon-fri", after: F.minute("2026-06-30 12:00"), count: 3).map(\.description) == [
            "2026-07-01 12:00", "2026-07-02 12:00", "2026-07-03 12:00",
        ])
        #expect(try F.slots("0 12 * JAN,jul MON-fri", after: F.minute("2026-07-31 12:00"), count: 1).map(\.description) == ["2027-01-01 12:00"])
        let fromZero = try F.slots("0 3 * * 0", after: F.minute("2026-01-01 00:00"), count: 60)
        #expect(try F.slots("0 3 * * 7", after: F.minute("2026-01-01 00:00"), count: 60) == fromZero)
        #expect(try F.slots("0 3 * * sun", after: F.minute("2026-01-01 00:00"), count: 60) == fromZero)
        #expect(fromZero.allSatisfy { $0.weekday == 0 })
        #expect(try F.slots("0 3 * * 5-7", after: F.minute("2026-11-25 00:00"), count: 4).map(\.description) == [
            "2026-11-27 03:00", "2026-11-28 03:00", "2026-11-29 03:00", "2026-12-04 03:00",
        ])
    }

    @Test func stepsFromAValueRunToTheEndOfTheField() throws {
        #expect(try F.slots("50/5 21/1 * * *", after: F.minute("2026-01-01 22:00"), count: 4).map(\.description) == [
            "2026-01-01 22:50", "2026-01-01 22:55", "2026-01-01 23:50", "2026-01-01 23:55",
        ])
        #expect(try F.slots("50/5 21/1 * * *", after: F.minute("2026-01-01 23:55"), count: 1).map(\.description) == ["2026-01-02 21:50"])
    }

    // MARK: Bounded work

    /// Loop iterations of `nextSlot` from `start`.
    private func nextSlotSteps(_ text: String, after start: String) throws -> (LocalMinute?, Int) {
        var steps = 0
        let slot = try CronExpression(text).nextSlot(after: F.minute(start), steps: &steps)
        return (slot, steps)
    }

    @Test func nextSlotSkipsMonthsDaysAndHoursInsteadOfMinutes() throws {
        let (leap, leapSteps) = try nextSlotSteps("0 0 29 2 *", after: "2096-03-01 00:00")
        #expect(leap == F.minute("2104-02-29 00:00"))
        #expect(leapSteps < 1_000)  // minute by minute it would be over four million
        let (monthEnd, monthEndSteps) = try nextSlotSteps("0 0 31 * *", after: "2026-01-31 00:00")
        #expect(monthEnd == F.minute("2026-03-31 00:00"))
        #expect(monthEndSteps < 100)
        let (never, neverSteps) = try nextSlotSteps("0 0 30 2 *", after: "2026-01-01 00:00")
        #expect(never == nil)
        #expect(neverSteps < 1_000)
        let (yearly, yearlySteps) = try nextSlotSteps("59 23 31 12 *", after: "2026-01-01 00:00")
        #expect(yearly == F.minute("2026-12-31 23:59"))
        #expect(yearlySteps < 50)
        let (minutely, minutelySteps) = try nextSlotSteps("* * * * *", after: "2026-01-01 00:00")
        #expect(minutely == F.minute("2026-01-01 00:01"))
        #expect(minutelySteps == 1)
    }

    @Test func searchReachesEveryLeapDay() throws {
        // The longest wait between two slots of any possible expression: February 29, 2096 to 2104.
        #expect(try CronExpression("0 0 29 2 *").nextSlot(after: F.minute("2096-02-29 00:00")) == F.minute("2104-02-29 00:00"))
        #expect(try CronExpression("59 23 29 2 *").nextSlot(after: F.minute("2096-02-29 23:59")) == F.minute("2104-02-29 23:59"))
    }

    // MARK: Against a minute-by-minute reference

    /// An independent matcher: the field values from the parser, the calendar from Foundation's
    /// `Calendar` (UTC), and the day rule applied from the text.
    private struct Reference {
        let minutes, hours, daysOfMonth, months, daysOfWeek: Set<Int>
        let either: Bool
        let calendar: Calendar

        init(_ text: String, _ expression: CronExpression) {
            minutes = Set(expression.minutes.sortedValues)
            hours = Set(expression.hours.sortedValues)
            daysOfMonth = Set(expression.daysOfMonth.sortedValues)
            months = Set(expression.months.sortedValues)
            daysOfWeek = Set(expression.daysOfWeek.sortedValues)
            let fields = text.split(separator: " ")
            either = !fields[2].hasPrefix("*") && !fields[4].hasPrefix("*")
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = CronFixtures.utc
            self.calendar = calendar
        }

        /// Whether the UTC day starting at `midnight` matches the month and day fields.
        func dayMatches(_ midnight: Date) -> Bool {
            let parts = calendar.dateComponents([.month, .day, .weekday], from: midnight)
            let dayOfMonth = daysOfMonth.contains(parts.day!)
            let dayOfWeek = daysOfWeek.contains(parts.weekday! - 1)
            return months.contains(parts.month!) && (either ? (dayOfMonth || dayOfWeek) : (dayOfMonth && dayOfWeek))
        }

        /// The matching minutes of the UTC day starting at `midnight`, in order.
        func minutes(of midnight: Date) -> [Date] {
            guard dayMatches(midnight) else { return [] }
            return (0..<1440).filter { hours.contains($0 / 60) && minutes.contains($0 % 60) }
                .map { midnight.addingTimeInterval(TimeInterval($0 * 60)) }
        }
    }

    /// The start of the UTC day of `date`.
    private static func utcMidnight(of date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    @Test(arguments: [
        "*/7 */5 * * *", "0 0 13 * fri", "15 10 */3 * mon-wed", "0 22 1-7 * 1", "5 4 * feb,mar *",
        "0,30 9-17 * * 1-5", "59 23 28-31 * *", "0 0 * * 6,7", "*/20 1 29 2 *", "1 2 3 4 *", "0 0 1-31 * mon",
    ])
    func nextSlotAgreesWithAMinuteByMinuteScan(text: String) throws {
        let expression = try CronExpression(text)
        let reference = Reference(text, expression)
        for start in ["2026-01-01T00:00:00Z", "2027-12-31T23:31:00Z", "2028-02-27T10:14:00Z"].map(F.instant) {
            let firstMidnight = Self.utcMidnight(of: start)
            let days = 120
            let scanned = (0..<days).flatMap { reference.minutes(of: firstMidnight.addingTimeInterval(TimeInterval($0 * 86_400))) }
                .filter { $0 > start }.prefix(12)
            let computed = try F.runs(text, after: start, in: F.utc, count: scanned.count + 1)
            #expect(Array(computed.prefix(scanned.count)) == Array(scanned), "\(text) from \(start)")
            if scanned.count < 12 {
                // Nothing else within the window.
                let end = firstMidnight.addingTimeInterval(TimeInterval(days * 86_400))
                #expect(computed.count == scanned.count || computed[scanned.count] >= end, "\(text) from \(start)")
            }
        }
    }

    @Test(arguments: ["*/7 */5 * * *", "0 0 13 * fri", "15 10 */3 * mon-wed", "0,30 9-17 * * 1-5", "59 23 28-31 * *", "0 0 29 2 *"])
    func latestSlotAgreesWithAMinuteByMinuteScan(text: String) throws {
        let expression = try CronExpression(text)
        let reference = Reference(text, expression)
        for now in ["2026-03-01T00:00:00Z", "2028-03-01T12:07:00Z", "2026-11-25T10:17:00Z"].map(F.instant) {
            let nowMidnight = Self.utcMidnight(of: now)
            var found: Date?
            for day in 0...366 {
                let midnight = nowMidnight.addingTimeInterval(TimeInterval(-day * 86_400))
                if let last = reference.minutes(of: midnight).last(where: { $0 <= now }) {
                    if now.timeIntervalSince(last) <= 527_040 * 60 { found = last }
                    break
                }
            }
            let latest = expression.latestSlot(atOrBefore: now.addingTimeInterval(30), in: F.utc)
            #expect(latest?.date(in: F.utc) == found, "\(text) at \(now)")
        }
    }
}
