import Foundation
import Testing

@testable import Scheduling

/// Slots across daylight saving time (Europe/Paris and America/New_York), `latestSlot`, and
/// `LocalMinute` itself.
@Suite("Cron slots and daylight saving time")
struct CronSlotTests {
    typealias F = CronFixtures

    @Test func tzdataIsPresentAndFoundationHonoursDaylightSavingTime() {
        // If these fail, the zone database is missing and every zone below behaves like UTC.
        #expect(FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/Europe/Paris"))
        #expect(F.paris.secondsFromGMT(for: F.instant("2026-01-15T12:00:00Z")) == 3600)
        #expect(F.paris.secondsFromGMT(for: F.instant("2026-07-15T12:00:00Z")) == 7200)
        #expect(F.paris.secondsFromGMT(for: F.instant("2026-03-29T00:59:59Z")) == 3600)
        #expect(F.paris.secondsFromGMT(for: F.instant("2026-03-29T01:00:00Z")) == 7200)
        #expect(F.paris.secondsFromGMT(for: F.instant("2026-10-25T00:59:59Z")) == 7200)
        #expect(F.paris.secondsFromGMT(for: F.instant("2026-10-25T01:00:00Z")) == 3600)
        #expect(F.newYork.secondsFromGMT(for: F.instant("2026-03-08T07:00:00Z")) == -4 * 3600)
        #expect(F.newYork.secondsFromGMT(for: F.instant("2026-11-01T06:00:00Z")) == -5 * 3600)
    }

    // MARK: nextRun across transitions

    /// (expression, zone, after, the next runs). Paris: 2026-03-29 02:00 -> 03:00 at 01:00Z and
    /// 2026-10-25 03:00 -> 02:00 at 01:00Z. New York: 2026-03-08 02:00 -> 03:00 at 07:00Z and
    /// 2026-11-01 02:00 -> 01:00 at 06:00Z. All four dates are Sundays.
    static let transitions: [(String, String, String, [String])] = [
        // Paris, spring forward: slots in the skipped hour run when the clock reaches 03:00.
        ("0 2 * * *", "Europe/Paris", "2026-03-28T12:00:00Z",
         ["2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00", "2026-03-31T02:00:00+02:00"]),
        ("30 2 * * *", "Europe/Paris", "2026-03-28T12:00:00Z",
         ["2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"]),
        ("0 3 * * 0", "Europe/Paris", "2026-03-28T12:00:00Z",
         ["2026-03-29T03:00:00+02:00", "2026-04-05T03:00:00+02:00"]),
        ("*/15 * * * *", "Europe/Paris", "2026-03-29T01:20:00+01:00",
         ["2026-03-29T01:30:00+01:00", "2026-03-29T01:45:00+01:00", "2026-03-29T03:00:00+02:00",
          "2026-03-29T03:15:00+02:00", "2026-03-29T03:30:00+02:00"]),
        // Paris, fall back: 02:00-02:59 happens twice; each slot runs once, the first time.
        ("0 2 * * *", "Europe/Paris", "2026-10-24T12:00:00Z",
         ["2026-10-25T02:00:00+02:00", "2026-10-26T02:00:00+01:00"]),
        ("30 2 * * *", "Europe/Paris", "2026-10-24T12:00:00Z",
         ["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"]),
        ("30 2 * * *", "Europe/Paris", "2026-10-25T02:10:00+01:00", ["2026-10-26T02:30:00+01:00"]),
        ("0 3 * * 0", "Europe/Paris", "2026-10-24T12:00:00Z",
         ["2026-10-25T03:00:00+01:00", "2026-11-01T03:00:00+01:00"]),
        ("*/15 * * * *", "Europe/Paris", "2026-10-25T02:20:00+02:00",
         ["2026-10-25T02:30:00+02:00", "2026-10-25T02:45:00+02:00", "2026-10-25T03:00:00+01:00", "2026-10-25T03:15:00+01:00"]),
        ("*/15 * * * *", "Europe/Paris", "2026-10-25T02:05:00+01:00", ["2026-10-25T03:00:00+01:00"]),
        // New York, spring forward.
        ("0 2 * * *", "America/New_York", "2026-03-07T12:00:00Z",
         ["2026-03-08T03:00:00-04:00", "2026-03-09T02:00:00-04:00"]),
        ("30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z",
         ["2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"]),
        ("0 3 * * 0", "America/New_York", "2026-03-07T12:00:00Z",
         ["2026-03-08T03:00:00-04:00", "2026-03-15T03:00:00-04:00"]),
        ("*/15 * * * *", "America/New_York", "2026-03-08T01:40:00-05:00",
         ["2026-03-08T01:45:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T03:15:00-04:00"]),
        // New York, fall back: 01:00-01:59 happens twice; 02:00 and 03:00 once each.
        ("0 2 * * *", "America/New_York", "2026-10-31T12:00:00Z",
         ["2026-11-01T02:00:00-05:00", "2026-11-02T02:00:00-05:00"]),
        ("30 2 * * *", "America/New_York", "2026-10-31T12:00:00Z",
         ["2026-11-01T02:30:00-05:00", "2026-11-02T02:30:00-05:00"]),
        ("0 3 * * 0", "America/New_York", "2026-10-31T12:00:00Z",
         ["2026-11-01T03:00:00-05:00", "2026-11-08T03:00:00-05:00"]),
        ("*/15 * * * *", "America/New_York", "2026-11-01T01:40:00-04:00",
         ["2026-11-01T01:45:00-04:00", "2026-11-01T02:00:00-05:00", "2026-11-01T02:15:00-05:00"]),
        ("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z",
         ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"]),
    ]

    @Test(arguments: transitions)
    func nextRunAcrossTransitions(expression: String, zone: String, after: String, expected: [String]) throws {
        let timeZone = TimeZone(identifier: zone)!
        let runs = try F.runs(expression, after: F.instant(after), in: timeZone, count: expected.count)
        #expect(runs == expected.map(F.instant))
    }

    @Test func skippedSlotsStillExistOnTheWallClock() throws {
        // The slots are wall-clock minutes; the gap's slots all start at 03:00 CEST.
        let slots = try F.slots("*/15 * * * *", after: F.minute("2026-03-29 01:45"), count: 5)
        #expect(slots.map(\.description) == [
            "2026-03-29 02:00", "2026-03-29 02:15", "2026-03-29 02:30", "2026-03-29 02:45", "2026-03-29 03:00",
        ])
        #expect(Set(slots.map { $0.date(in: F.paris) }) == [F.instant("2026-03-29T03:00:00+02:00")])
        // The repeated hour holds each wall-clock slot once.
        let autumn = try F.slots("*/15 * * * *", after: F.minute("2026-10-25 01:45"), count: 5)
        #expect(autumn.map(\.description) == [
            "2026-10-25 02:00", "2026-10-25 02:15", "2026-10-25 02:30", "2026-10-25 02:45", "2026-10-25 03:00",
        ])
    }

    // MARK: latestSlot

    @Test(arguments: [
        // Just after spring forward in Paris: the skipped 02:00 is today's, the wildcard is at 03:00.
        ("0 2 * * *", "Europe/Paris", "2026-03-29T03:00:00+02:00", "2026-03-29 02:00"),
        ("30 2 * * *", "Europe/Paris", "2026-03-29T03:00:00+02:00", "2026-03-29 02:30"),
        ("*/15 * * * *", "Europe/Paris", "2026-03-29T03:00:00+02:00", "2026-03-29 03:00"),
        ("0 3 * * 0", "Europe/Paris", "2026-03-29T03:00:00+02:00", "2026-03-29 03:00"),
        ("*/15 * * * *", "Europe/Paris", "2026-03-29T03:14:59+02:00", "2026-03-29 03:00"),
        // Just before it.
        ("0 2 * * *", "Europe/Paris", "2026-03-29T01:59:59+01:00", "2026-03-28 02:00"),
        ("*/15 * * * *", "Europe/Paris", "2026-03-29T01:59:59+01:00", "2026-03-29 01:45"),
        // During the second pass through 02:00-02:59 in Paris: the same wall-clock slots.
        ("0 2 * * *", "Europe/Paris", "2026-10-25T02:30:00+01:00", "2026-10-25 02:00"),
        ("*/15 * * * *", "Europe/Paris", "2026-10-25T02:30:00+01:00", "2026-10-25 02:30"),
        ("0 2 * * *", "Europe/Paris", "2026-10-25T02:30:00+02:00", "2026-10-25 02:00"),
        // New York.
        ("30 2 * * *", "America/New_York", "2026-03-08T03:05:00-04:00", "2026-03-08 02:30"),
        ("0 2 * * *", "America/New_York", "2026-11-01T01:59:00-05:00", "2026-10-31 02:00"),
        // UTC, the product's schedules at Wednesday 2026-11-25 10:17:20.
        ("0 2 * * *", "UTC", "2026-11-25T10:17:20Z", "2026-11-25 02:00"),
        ("0 */2 * * *", "UTC", "2026-11-25T10:17:20Z", "2026-11-25 10:00"),
        ("0 3 * * 0", "UTC", "2026-11-25T10:17:20Z", "2026-11-22 03:00"),
        ("0 7 * * 1", "UTC", "2026-11-25T10:17:20Z", "2026-11-23 07:00"),
        ("*/15 * * * *", "UTC", "2026-11-25T10:17:20Z", "2026-11-25 10:15"),
        ("0 8 * * *", "UTC", "2026-11-25T10:17:20Z", "2026-11-25 08:00"),
        ("0 2 * * *", "UTC", "2026-11-25T02:00:00Z", "2026-11-25 02:00"),
        ("0 2 * * *", "UTC", "2026-11-25T01:59:59Z", "2026-11-24 02:00"),
        ("0 0 1 1 *", "UTC", "2026-03-01T00:00:00Z", "2026-01-01 00:00"),
        ("0 0 31 * *", "UTC", "2026-03-30T00:00:00Z", "2026-01-31 00:00"),
        ("0 0 13 * fri", "UTC", "2026-01-12T00:00:00Z", "2026-01-09 00:00"),
    ])
    func latestSlot(expression: String, zone: String, at date: String, expected: String) throws {
        let slot = try CronExpression(expression).latestSlot(atOrBefore: F.instant(date), in: TimeZone(identifier: zone)!)
        #expect(slot?.description == expected)
    }

    @Test func latestSlotLooksBackAtMostTheLimitInWallClockMinutes() throws {
        let daily = try CronExpression("0 2 * * *")
        let justAfterTheGap = F.instant("2026-03-29T03:00:00+02:00")  // wall clock 03:00, 60 minutes after 02:00
        #expect(daily.latestSlot(atOrBefore: justAfterTheGap, in: F.paris, lookBackMinutes: 60) == F.minute("2026-03-29 02:00"))
        #expect(daily.latestSlot(atOrBefore: justAfterTheGap, in: F.paris, lookBackMinutes: 59) == nil)

        let at0200 = F.instant("2026-11-25T02:00:40Z")
        #expect(daily.latestSlot(atOrBefore: at0200, in: F.utc, lookBackMinutes: 0) == F.minute("2026-11-25 02:00"))
        #expect(daily.latestSlot(atOrBefore: at0200.addingTimeInterval(60), in: F.utc, lookBackMinutes: 0) == nil)
        #expect(daily.latestSlot(atOrBefore: at0200.addingTimeInterval(60), in: F.utc, lookBackMinutes: 1) == F.minute("2026-11-25 02:00"))
        #expect(daily.latestSlot(atOrBefore: at0200.addingTimeInterval(60), in: F.utc, lookBackMinutes: -5) == nil)

        // 2026-12-31 23:59 is 525,599 minutes after 2026-01-01 00:00.
        let yearly = try CronExpression("0 0 1 1 *")
        let newYearsEve = F.minute("2026-12-31 23:59")
        #expect(yearly.latestSlot(atOrBefore: newYearsEve, lookBackMinutes: 525_599) == F.minute("2026-01-01 00:00"))
        #expect(yearly.latestSlot(atOrBefore: newYearsEve, lookBackMinutes: 525_598) == nil)
        #expect(yearly.latestSlot(atOrBefore: newYearsEve) == F.minute("2026-01-01 00:00"))

        // The default is 366 days: the last February 29th is further back.
        let leap = try CronExpression("0 0 29 2 *")
        let june2026 = F.instant("2026-06-01T00:00:00Z")
        #expect(leap.latestSlot(atOrBefore: june2026, in: F.utc) == nil)
        #expect(leap.latestSlot(atOrBefore: june2026, in: F.utc, lookBackMinutes: 3 * 527_040) == F.minute("2024-02-29 00:00"))
        #expect(leap.latestSlot(atOrBefore: june2026, in: F.utc, lookBackMinutes: .max) == F.minute("2024-02-29 00:00"))
        #expect(leap.latestSlot(atOrBefore: F.minute("2103-12-31 00:00"), lookBackMinutes: .max) == F.minute("2096-02-29 00:00"))
    }

    @Test func latestSlotOfAnImpossibleScheduleIsNilAfterBoundedWork() throws {
        let never = try CronExpression("0 0 30 2 *")
        var steps = 0
        let start = F.minute("2026-06-01 00:00")
        #expect(never.latestSlot(atOrBefore: start, notBefore: start.adding(minutes: -CronExpression.maximumLookBackMinutes), steps: &steps) == nil)
        #expect(steps < 1_000)
        #expect(never.latestSlot(atOrBefore: F.instant("2026-06-01T00:00:00Z"), in: F.utc, lookBackMinutes: .max) == nil)
        var leapSteps = 0
        let leap = try CronExpression("0 0 29 2 *")
        #expect(leap.latestSlot(atOrBefore: start, notBefore: F.minute("2020-01-01 00:00"), steps: &leapSteps) == F.minute("2024-02-29 00:00"))
        #expect(leapSteps < 1_000)
    }

    // MARK: LocalMinute

    @Test func descriptionRoundTrips() {
        #expect(LocalMinute(year: 2026, month: 11, day: 25, hour: 2, minute: 0).description == "2026-11-25 02:00")
        #expect(LocalMinute(year: 999, month: 1, day: 5, hour: 3, minute: 4).description == "0999-01-05 03:04")
        #expect(LocalMinute(year: 2026, month: 12, day: 31, hour: 23, minute: 59).description == "2026-12-31 23:59")
        var minute = LocalMinute(year: 2023, month: 12, day: 31, hour: 22, minute: 17)
        for _ in 0..<2_000 {
            #expect(LocalMinute(parsing: minute.description) == minute)
            minute = minute.adding(minutes: 617)
        }
        #expect(LocalMinute(parsing: "12026-01-01 00:00") == LocalMinute(year: 12026, month: 1, day: 1, hour: 0, minute: 0))
        #expect(LocalMinute(parsing: "2024-02-29 23:59") == LocalMinute(year: 2024, month: 2, day: 29, hour: 23, minute: 59))
    }

    @Test(arguments: [
        "", "2026-11-25", "2026-11-25 02:00:00", "2026-11-25T02:00", "2026-11-25  02:00", " 2026-11-25 02:00",
        "2026-11-25 02:00 ", "2026-02-30 00:00", "2025-02-29 00:00", "2026-13-01 00:00", "2026-00-10 00:00",
        "2026-01-00 00:00", "2026-01-01 24:00", "2026-01-01 00:60", "2026-1-01 00:00", "2026-01-1 00:00",
        "2026-01-01 0:00", "226-01-01 00:00", "abcd-01-01 00:00", "+026-01-01 00:00", "2026-01-01 -1:00",
        "2026/01/01 00:00", "2026-01-01 00-00",
    ])
    func parsingRejects(text: String) {
        #expect(LocalMinute(parsing: text) == nil)
    }

    @Test func weekdayOfKnownDates() {
        #expect(LocalMinute(year: 1970, month: 1, day: 1, hour: 0, minute: 0).weekday == 4)  // Thursday
        #expect(LocalMinute(year: 2000, month: 2, day: 29, hour: 0, minute: 0).weekday == 2)  // Tuesday
        #expect(LocalMinute(year: 1900, month: 1, day: 1, hour: 0, minute: 0).weekday == 1)  // Monday
        #expect(LocalMinute(year: 2026, month: 11, day: 25, hour: 23, minute: 59).weekday == 3)  // Wednesday
        #expect(LocalMinute(year: 2026, month: 11, day: 29, hour: 3, minute: 0).weekday == 0)  // Sunday
        #expect(LocalMinute(year: 2026, month: 11, day: 28, hour: 3, minute: 0).weekday == 6)  // Saturday
        #expect(LocalMinute(year: 1969, month: 12, day: 31, hour: 0, minute: 0).weekday == 3)  // Wednesday
    }

    @Test func civilDatesAgreeWithFoundationsCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = F.utc
        // Every 7 hours 13 minutes from 1890 to 2110.
        var date = F.instant("1890-01-01T00:00:00Z")
        let end = F.instant("2110-01-01T00:00:00Z")
        var checked = 0
        while date < end {
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
            let minute = LocalMinute(date, in: F.utc)
            if minute != LocalMinute(year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!)
                || minute.weekday != parts.weekday! - 1 || minute.date(in: F.utc) != date {
                Issue.record("\(date): \(minute), weekday \(minute.weekday)")
                break
            }
            checked += 1
            date.addTimeInterval(7 * 3600 + 13 * 60)
        }
        #expect(checked > 250_000)
    }

    @Test func addingIsCivilArithmetic() {
        let minute = F.minute("2026-12-31 23:59")
        #expect(minute.adding(minutes: 1).description == "2027-01-01 00:00")
        #expect(minute.adding(minutes: 0) == minute)
        #expect(minute.adding(minutes: -1440 * 365).description == "2025-12-31 23:59")
        #expect(F.minute("2024-02-28 12:00").adding(minutes: 1440).description == "2024-02-29 12:00")
        #expect(F.minute("2026-02-28 12:00").adding(minutes: 1440).description == "2026-03-01 12:00")
        #expect(F.minute("2026-03-01 00:00").adding(minutes: -1).description == "2026-02-28 23:59")
        // No time zone: a DST day is still 1440 minutes.
        #expect(F.minute("2026-03-29 01:00").adding(minutes: 90).description == "2026-03-29 02:30")
        #expect(F.minute("1970-01-01 00:00").adding(minutes: -1).description == "1969-12-31 23:59")
        // Fields out of range carry over.
        #expect(LocalMinute(year: 2026, month: 13, day: 1, hour: 0, minute: 0).adding(minutes: 0).description == "2027-01-01 00:00")
        #expect(LocalMinute(year: 2026, month: 3, day: 0, hour: 0, minute: 0).adding(minutes: 0).description == "2026-02-28 00:00")
        #expect(LocalMinute(year: 2026, month: 1, day: 1, hour: 25, minute: 61).adding(minutes: 0).description == "2026-01-02 02:01")
        #expect(LocalMinute(year: 2026, month: 0, day: 1, hour: 0, minute: 0).weekday == F.minute("2025-12-01 00:00").weekday)
    }

    @Test func comparisonIsChronological() {
        let minutes = ["2025-12-31 23:59", "2026-01-01 00:00", "2026-01-01 00:01", "2026-01-01 01:00", "2026-01-02 00:00",
                       "2026-02-01 00:00", "2027-01-01 00:00"].map(F.minute)
        #expect(minutes.sorted() == minutes)
        #expect(minutes.reversed().sorted() == minutes)
        #expect(F.minute("2026-01-01 00:00") < F.minute("2026-01-01 00:01"))
        #expect(!(F.minute("2026-01-01 00:00") < F.minute("2026-01-01 00:00")))
    }

    @Test func initFromADateFloorsToTheMinute() {
        #expect(LocalMinute(F.instant("2026-11-25T02:00:59Z").addingTimeInterval(0.9), in: F.utc).description == "2026-11-25 02:00")
        #expect(LocalMinute(F.instant("2026-11-25T02:00:00Z"), in: F.utc).description == "2026-11-25 02:00")
        #expect(LocalMinute(F.instant("1970-01-01T00:00:00Z").addingTimeInterval(-0.5), in: F.utc).description == "1969-12-31 23:59")
        #expect(LocalMinute(F.instant("2026-11-25T01:30:00Z"), in: F.paris).description == "2026-11-25 02:30")
        #expect(LocalMinute(F.instant("2026-11-25T01:30:00Z"), in: TimeZone(identifier: "Asia/Kathmandu")!).description == "2026-11-25 07:15")
        // Around Paris's transitions.
        #expect(LocalMinute(F.instant("2026-03-29T00:59:59Z"), in: F.paris).description == "2026-03-29 01:59")
        #expect(LocalMinute(F.instant("2026-03-29T01:00:00Z"), in: F.paris).description == "2026-03-29 03:00")
        #expect(LocalMinute(F.instant("2026-10-25T00:30:00Z"), in: F.paris).description == "2026-10-25 02:30")
        #expect(LocalMinute(F.instant("2026-10-25T01:30:00Z"), in: F.paris).description == "2026-10-25 02:30")
    }

    @Test(arguments: [
        // Paris: the gap goes to 03:00 CEST; the repeated hour to its first (CEST) occurrence.
        ("2026-03-29 01:59", "Europe/Paris", "2026-03-29T01:59:00+01:00"),
        ("2026-03-29 02:00", "Europe/Paris", "2026-03-29T03:00:00+02:00"),
        ("2026-03-29 02:30", "Europe/Paris", "2026-03-29T03:00:00+02:00"),
        ("2026-03-29 02:59", "Europe/Paris", "2026-03-29T03:00:00+02:00"),
        ("2026-03-29 03:00", "Europe/Paris", "2026-03-29T03:00:00+02:00"),
        ("2026-03-29 03:01", "Europe/Paris", "2026-03-29T03:01:00+02:00"),
        ("2026-10-25 01:59", "Europe/Paris", "2026-10-25T01:59:00+02:00"),
        ("2026-10-25 02:00", "Europe/Paris", "2026-10-25T02:00:00+02:00"),
        ("2026-10-25 02:30", "Europe/Paris", "2026-10-25T02:30:00+02:00"),
        ("2026-10-25 02:59", "Europe/Paris", "2026-10-25T02:59:00+02:00"),
        ("2026-10-25 03:00", "Europe/Paris", "2026-10-25T03:00:00+01:00"),
        // New York.
        ("2026-03-08 02:30", "America/New_York", "2026-03-08T03:00:00-04:00"),
        ("2026-03-08 03:00", "America/New_York", "2026-03-08T03:00:00-04:00"),
        ("2026-11-01 01:30", "America/New_York", "2026-11-01T01:30:00-04:00"),
        ("2026-11-01 02:00", "America/New_York", "2026-11-01T02:00:00-05:00"),
        // Samoa skipped all of 2011-12-30: its minutes start at 2011-12-31 00:00 (+14:00).
        ("2011-12-30 12:00", "Pacific/Apia", "2011-12-31T00:00:00+14:00"),
        ("2011-12-29 23:59", "Pacific/Apia", "2011-12-29T23:59:00-10:00"),
        ("2026-11-25 02:00", "UTC", "2026-11-25T02:00:00Z"),
    ])
    func dateInAZone(minute: String, zone: String, expected: String) {
        #expect(F.minute(minute).date(in: TimeZone(identifier: zone)!) == F.instant(expected))
    }

    /// Every instant's wall-clock minute leads back to it, except in the second pass through a
    /// repeated hour, where it leads to the first pass: 2026 in 15-minute steps. (Lord Howe Island
    /// moves its clocks by 30 minutes; Kathmandu is at +05:45 all year.)
    @Test(arguments: [
        ("Europe/Paris", 4), ("America/New_York", 4), ("Australia/Lord_Howe", 2), ("Asia/Kathmandu", 0), ("UTC", 0),
    ])
    func minutesOfAYearRoundTrip(zone: String, secondPasses: Int) {
        let timeZone = TimeZone(identifier: zone)!
        var date = F.instant("2026-01-01T00:00:00Z")
        let end = F.instant("2027-01-01T00:00:00Z")
        var failures = 0
        var repeated = 0
        while date < end && failures < 5 {
            let minute = LocalMinute(date, in: timeZone)
            let back = minute.date(in: timeZone)
            if back != date {
                let firstPass = back < date && LocalMinute(back, in: timeZone) == minute
                    && timeZone.secondsFromGMT(for: back) > timeZone.secondsFromGMT(for: date)
                if firstPass {
                    repeated += 1
                } else {
                    Issue.record("\(zone): \(date) -> \(minute) -> \(back)")
                    failures += 1
                }
            }
            date.addTimeInterval(900)
        }
        #expect(repeated == secondPasses)
    }

    @Test(arguments: ["Europe/Paris", "America/New_York", "Australia/Lord_Howe"])
    func instantsNeverGoBackwardsAsTheWallClockAdvances(zone: String) {
        let timeZone = TimeZone(identifier: zone)!
        var minute = F.minute("2026-01-01 00:00")
        var previous = minute.date(in: timeZone)
        var failures = 0
        while minute.year == 2026 && failures < 5 {
            minute = minute.adding(minutes: 5)
            let instant = minute.date(in: timeZone)
            if instant < previous {
                Issue.record("\(zone): \(minute) is at \(instant), before \(previous)")
                failures += 1
            }
            previous = instant
        }
    }
}
