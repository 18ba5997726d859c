import Foundation
import Testing

@testable import Scheduling

/// Parsing: every syntax form of crontab(5) and every error, with its message.
@Suite("Cron expression parsing")
struct CronExpressionParsingTests {
    /// The values one field of `expression` matches.
    private func values(_ expression: String, _ field: CronFieldKind) throws -> [Int] {
        let parsed = try CronExpression(expression)
        return switch field {
        case .minute: parsed.minutes.sortedValues
        case .hour: parsed.hours.sortedValues
        case .dayOfMonth: parsed.daysOfMonth.sortedValues
        case .month: parsed.months.sortedValues
        case .dayOfWeek: parsed.daysOfWeek.sortedValues
        }
    }

    @Test func starsMatchEveryValue() throws {
        #expect(try values("* * * * *", .minute) == Array(0...59))
        #expect(try values("* * * * *", .hour) == Array(0...23))
        #expect(try values("* * * * *", .dayOfMonth) == Array(1...31))
        #expect(try values("* * * * *", .month) == Array(1...12))
        #expect(try values("* * * * *", .dayOfWeek) == Array(0...6))
    }

    @Test(arguments: [
        ("5", [5]), ("0", [0]), ("59", [59]), ("007", [7]), ("5,5", [5]),
        ("10-13", [10, 11, 12, 13]), ("3-3", [3]),
        ("*/15", [0, 15, 30, 45]), ("*/1", Array(0...59)), ("*/60", [0]), ("*/7", [0, 7, 14, 21, 28, 35, 42, 49, 56]),
        ("10-30/10", [10, 20, 30]), ("10-31/10", [10, 20, 30]), ("0-59/30", [0, 30]),
        ("50/3", [50, 53, 56, 59]), ("0/20", [0, 20, 40]),
        ("1,2,5-7,*/20", [0, 1, 2, 5, 6, 7, 20, 40]), ("45,15", [15, 45]),
    ])
    func minuteField(text: String, expected: [Int]) throws {
        #expect(try values("\(text) * * * *", .minute) == expected)
    }

    @Test(arguments: [
        ("0", [0]), ("23", [23]), ("*/2", Array(stride(from: 0, through: 22, by: 2))),
        ("9-17", Array(9...17)), ("9-17/4", [9, 13, 17]), ("20/2", [20, 22]), ("20/1", [20, 21, 22, 23]), ("1,13", [1, 13]),
    ])
    func hourField(text: String, expected: [Int]) throws {
        #expect(try values("0 \(text) * * *", .hour) == expected)
    }

    @Test(arguments: [
        ("1", [1]), ("31", [31]), ("*/2", Array(stride(from: 1, through: 31, by: 2))),
        ("1,15", [1, 15]), ("25-31", Array(25...31)), ("28/2", [28, 30]),
    ])
    func dayOfMonthField(text: String, expected: [Int]) throws {
        #expect(try values("0 0 \(text) * *", .dayOfMonth) == expected)
    }

    @Test(arguments: [
        ("1", [1]), ("12", [12]), ("jan", [1]), ("DEC", [12]), ("Jul,aug", [7, 8]), ("JAN-mar", [1, 2, 3]),
        ("*/3", [1, 4, 7, 10]), ("jun/2", [6, 8, 10, 12]), ("1-12/4", [1, 5, 9]), ("feb-4", [2, 3, 4]),
    ])
    func monthField(text: String, expected: [Int]) throws {
        #expect(try values("0 0 1 \(text) *", .month) == expected)
    }

    @Test(arguments: [
        ("0", [0]), ("7", [0]), ("0,7", [0]), ("5-7", [0, 5, 6]), ("6-7", [0, 6]), ("1-5", [1, 2, 3, 4, 5]),
        ("mon-fri", [1, 2, 3, 4, 5]), ("SUN", [0]), ("Sat,sun", [0, 6]), ("fri-7", [0, 5, 6]), ("sun-sat", Array(0...6)),
        ("0-7", Array(0...6)), ("*/2", [0, 2, 4, 6]), ("*/7", [0]), ("1/2", [0, 1, 3, 5]), ("mon-fri/2", [1, 3, 5]),
        ("tue,thu", [2, 4]), ("wed", [3]),
    ])
    func dayOfWeekField(text: String, expected: [Int]) throws {
        #expect(try values("0 0 * * \(text)", .dayOfWeek) == expected)
    }

    @Test func fieldsStartingWithStarDecideTheDayRule() throws {
        #expect(try CronExpression("0 0 13 * fri").usesEitherDayRule)
        #expect(try CronExpression("0 0 1-31 * 0-7").usesEitherDayRule)
        #expect(try !CronExpression("0 0 13 * *").usesEitherDayRule)
        #expect(try !CronExpression("0 0 * * fri").usesEitherDayRule)
        #expect(try !CronExpression("0 0 */2 * fri").usesEitherDayRule)
        #expect(try !CronExpression("0 0 13 * */2").usesEitherDayRule)
    }

    @Test func whitespaceBetweenFieldsIsAnyRunOfSpacesAndTabs() throws {
        let plain = try CronExpression("0 2 * * *")
        for text in ["0  2 * * *", "0\t2\t*\t*\t*", " \t0 \t 2   *  *\t*\n", "\n0 2 * * *  "] {
            let parsed = try CronExpression(text)
            #expect(parsed.hasSameSchedule(as: plain), "\(text.debugDescription)")
        }
        #expect(try CronExpression("  0\t2 * * *\n").description == "0\t2 * * *")
        #expect(try CronExpression(" 0 2 * * * ").description == "0 2 * * *")
    }

    @Test(arguments: [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"), ("@weekly", "0 0 * * 0"),
        ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"), ("@DAILY", "0 0 * * *"),
        (" @Weekly\t", "0 0 * * 0"),
    ])
    func macros(macro: String, fields: String) throws {
        let parsed = try CronExpression(macro)
        #expect(parsed.hasSameSchedule(as: try CronExpression(fields)))
        #expect(!parsed.hasSameSchedule(as: try CronExpression("1 1 1 1 1")))
        #expect(parsed.description == macro.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func equalityComparesTextAndSameScheduleComparesValues() throws {
        #expect(try CronExpression("0 2 * * *") == CronExpression(" 0 2 * * *\n"))
        #expect(try CronExpression("0 2 * * *") != CronExpression("0 3 * * *"))
        #expect(try CronExpression("0 0 * * 7") != CronExpression("0 0 * * 0"))
        #expect(try CronExpression("0 0 * * 7").hasSameSchedule(as: CronExpression("@weekly")))
        #expect(try CronExpression("0,15,30,45 * * * *").hasSameSchedule(as: CronExpression("*/15 * * * *")))
        #expect(try CronExpression("0 0 1-31 * mon").hasSameSchedule(as: CronExpression("@daily")))
        #expect(try !CronExpression("0 0 13 * fri").hasSameSchedule(as: CronExpression("0 0 13 * *")))
        #expect(try !CronExpression("0 0 13 * 5").hasSameSchedule(as: CronExpression("0 0 */1 * 5")))
    }

    static let errors: [(String, CronExpressionError)] = [
        ("", .empty),
        (" \t\n", .empty),
        ("* * * *", .wrongFieldCount(found: 4)),
        ("0 2 * * * *", .wrongFieldCount(found: 6)),
        ("0 2 * * * /usr/bin/backup", .wrongFieldCount(found: 6)),
        ("0", .wrongFieldCount(found: 1)),
        ("60 * * * *", .outOfRange(field: .minute, value: "60", range: 0...59)),
        ("* 24 * * *", .outOfRange(field: .hour, value: "24", range: 0...23)),
        ("* * 0 * *", .outOfRange(field: .dayOfMonth, value: "0", range: 1...31)),
        ("* * 32 * *", .outOfRange(field: .dayOfMonth, value: "32", range: 1...31)),
        ("* * * 0 *", .outOfRange(field: .month, value: "0", range: 1...12)),
        ("* * * 13 *", .outOfRange(field: .month, value: "13", range: 1...12)),
        ("* * * * 8", .outOfRange(field: .dayOfWeek, value: "8", range: 0...7)),
        ("0-60 * * * *", .outOfRange(field: .minute, value: "60", range: 0...59)),
        ("* 1,2,99 * * *", .outOfRange(field: .hour, value: "99", range: 0...23)),
        ("99999999999999999999999 * * * *", .outOfRange(field: .minute, value: "99999999999999999999999", range: 0...59)),
        ("*/0 * * * *", .stepOutOfRange(field: .minute, step: "0", range: 1...60)),
        ("5-10/0 * * * *", .stepOutOfRange(field: .minute, step: "0", range: 1...60)),
        ("* */25 * * *", .stepOutOfRange(field: .hour, step: "25", range: 1...24)),
        ("* * * * */8", .stepOutOfRange(field: .dayOfWeek, step: "8", range: 1...7)),
        ("30-10 * * * *", .reversedRange(field: .minute, text: "30-10")),
        ("* 5-2/2 * * *", .reversedRange(field: .hour, text: "5-2")),
        ("* * * dec-jan *", .reversedRange(field: .month, text: "dec-jan")),
        ("* * * * fri-mon", .reversedRange(field: .dayOfWeek, text: "fri-mon")),
        ("* * * * fri-sun", .reversedRange(field: .dayOfWeek, text: "fri-sun")),
        ("1,,2 * * * *", .emptyListItem(field: .minute, text: "1,,2")),
        ("* ,5 * * *", .emptyListItem(field: .hour, text: ",5")),
        ("* * 5, * *", .emptyListItem(field: .dayOfMonth, text: "5,")),
        ("* * * * ,", .emptyListItem(field: .dayOfWeek, text: ",")),
        ("x * * * *", .notANumber(field: .minute, text: "x")),
        ("** * * * *", .notANumber(field: .minute, text: "**")),
        ("+5 * * * *", .notANumber(field: .minute, text: "+5")),
        ("jan * * * *", .notANumber(field: .minute, text: "jan")),
        ("* * mon * *", .notANumber(field: .dayOfMonth, text: "mon")),
        ("* * * foo *", .notANumber(field: .month, text: "foo")),
        ("* * * january *", .notANumber(field: .month, text: "january")),
        ("* * * mon *", .notANumber(field: .month, text: "mon")),
        ("* * * * jan", .notANumber(field: .dayOfWeek, text: "jan")),
        ("* * * * funday", .notANumber(field: .dayOfWeek, text: "funday")),
        ("*/x * * * *", .notANumber(field: .minute, text: "x")),
        ("*/mon * * * mon", .notANumber(field: .minute, text: "mon")),
        ("* * * * */mon", .notANumber(field: .dayOfWeek, text: "mon")),
        ("0 2 * * *extra", .notANumber(field: .dayOfWeek, text: "*extra")),
        ("1-2-3 * * * *", .malformed(field: .minute, text: "1-2-3")),
        ("-1 * * * *", .malformed(field: .minute, text: "-1")),
        ("1- * * * *", .malformed(field: .minute, text: "1-")),
        ("*/ * * * *", .malformed(field: .minute, text: "*/")),
        ("/5 * * * *", .malformed(field: .minute, text: "/5")),
        ("5/2/1 * * * *", .malformed(field: .minute, text: "5/2/1")),
        ("@reboot", .rebootHasNoSchedule),
        ("@REBOOT", .rebootHasNoSchedule),
        ("@fortnightly", .unknownMacro("@fortnightly")),
        ("@", .unknownMacro("@")),
        ("@daily 0", .macroTakesNoFields("@daily 0")),
    ]

    @Test(arguments: errors)
    func rejects(text: String, expected: CronExpressionError) {
        #expect(throws: expected) { try CronExpression(text) }
    }

    @Test func initThrowsTheTypedError() {
        do {
            _ = try CronExpression("* 24 * * *")
            Issue.record("accepted an hour of 24")
        } catch {
            // `error` is a CronExpressionError here (typed throws), no cast needed.
            #expect(error == .outOfRange(field: .hour, value: "24", range: 0...23))
        }
    }

    @Test(arguments: [
        (CronExpressionError.outOfRange(field: .hour, value: "24", range: 0...23), "hour field: 24 is out of range 0-23"),
        (.outOfRange(field: .dayOfWeek, value: "8", range: 0...7), "day-of-week field: 8 is out of range 0-7"),
        (.stepOutOfRange(field: .minute, step: "0", range: 1...60), "minute field: step 0 is out of range 1-60"),
        (.wrongFieldCount(found: 4), "expected 5 fields (minute hour day-of-month month day-of-week), found 4"),
        (.emptyListItem(field: .minute, text: "1,,2"), "minute field: empty item in the list '1,,2'"),
        (.notANumber(field: .hour, text: "x"), "hour field: 'x' is not a number"),
        (.notANumber(field: .month, text: "foo"), "month field: 'foo' is not a number (1-12) or a month name (jan-dec)"),
        (.notANumber(field: .dayOfWeek, text: "funday"), "day-of-week field: 'funday' is not a number (0-7) or a day name (sun-sat)"),
        (.reversedRange(field: .dayOfMonth, text: "20-10"), "day-of-month field: range 20-10 is reversed: its start is after its end"),
        (.reversedRange(field: .dayOfWeek, text: "fri-sun"), "day-of-week field: range fri-sun is reversed: its start is after its end (write 7 for Sunday at the end of a range, e.g. fri-7)"),
        (.malformed(field: .minute, text: "1-2-3"), "minute field: '1-2-3' is not a value, a range a-b, or either with a step /n"),
        (.rebootHasNoSchedule, "@reboot is not supported: it runs when cron starts, not at a time of day"),
        (.unknownMacro("@often"), "unknown macro '@often': expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"),
        (.macroTakesNoFields("@daily x"), "'@daily x': a macro stands for all five fields and takes nothing after it"),
    ])
    func messages(error: CronExpressionError, message: String) {
        #expect(error.description == message)
    }

    /// Every field error names its field and quotes the text at fault.
    @Test(arguments: errors)
    func messagesNameTheFieldAndTheText(text: String, expected: CronExpressionError) {
        switch expected {
        case .outOfRange(let field, let value, _), .stepOutOfRange(let field, let value, _),
             .reversedRange(let field, let value), .emptyListItem(let field, let value),
             .notANumber(let field, let value), .malformed(let field, let value):
            #expect(expected.description.hasPrefix("\(field) field: "))
            #expect(expected.description.contains(value))
        case .unknownMacro(let value), .macroTakesNoFields(let value):
            #expect(expected.description.contains(value))
        case .empty, .wrongFieldCount, .rebootHasNoSchedule:
            #expect(!expected.description.isEmpty)
        }
    }

    @Test func matchesChecksEveryField() throws {
        let expression = try CronExpression("30 2 * 3 mon")  // 02:30 on Mondays in March
        #expect(expression.matches(LocalMinute(year: 2026, month: 3, day: 2, hour: 2, minute: 30)))  // a Monday
        #expect(!expression.matches(LocalMinute(year: 2026, month: 3, day: 2, hour: 2, minute: 31)))
        #expect(!expression.matches(LocalMinute(year: 2026, month: 3, day: 2, hour: 3, minute: 30)))
        #expect(!expression.matches(LocalMinute(year: 2026, month: 3, day: 3, hour: 2, minute: 30)))  // Tuesday
        #expect(!expression.matches(LocalMinute(year: 2026, month: 4, day: 6, hour: 2, minute: 30)))  // Monday in April
        #expect(try CronExpression("* * * * *").matches(LocalMinute(year: 1999, month: 12, day: 31, hour: 23, minute: 59)))
    }

    @Test func matchesUsesEitherDayWhenBothDayFieldsAreRestricted() throws {
        let friday13 = try CronExpression("0 0 13 * fri")
        #expect(friday13.matches(LocalMinute(year: 2026, month: 1, day: 13, hour: 0, minute: 0)))  // Tuesday the 13th
        #expect(friday13.matches(LocalMinute(year: 2026, month: 1, day: 2, hour: 0, minute: 0)))  // Friday the 2nd
        #expect(!friday13.matches(LocalMinute(year: 2026, month: 1, day: 14, hour: 0, minute: 0)))  // Wednesday the 14th
        // With either field starting with `*` both must match.
        let oddFridays = try CronExpression("0 0 */2 * fri")
        #expect(oddFridays.matches(LocalMinute(year: 2026, month: 1, day: 9, hour: 0, minute: 0)))
        #expect(!oddFridays.matches(LocalMinute(year: 2026, month: 1, day: 2, hour: 0, minute: 0)))
        #expect(!oddFridays.matches(LocalMinute(year: 2026, month: 1, day: 13, hour: 0, minute: 0)))
        let thirteenths = try CronExpression("0 0 13 * *")
        #expect(thirteenths.matches(LocalMinute(year: 2026, month: 1, day: 13, hour: 0, minute: 0)))
        #expect(!thirteenths.matches(LocalMinute(year: 2026, month: 1, day: 2, hour: 0, minute: 0)))
    }

    @Test func sevenAndZeroAreBothSunday() throws {
        let sunday = LocalMinute(year: 2026, month: 11, day: 29, hour: 3, minute: 0)
        let monday = LocalMinute(year: 2026, month: 11, day: 30, hour: 3, minute: 0)
        for text in ["0 3 * * 0", "0 3 * * 7", "0 3 * * sun", "0 3 * * 5-7", "0 3 * * SUN"] {
            let expression = try CronExpression(text)
            #expect(expression.matches(sunday), "\(text)")
            #expect(!expression.matches(monday), "\(text)")
        }
    }

    @Test func matchesNormalisesFieldsOutOfRange() throws {
        // 2026-02-30 is 2026-03-02.
        #expect(try CronExpression("0 0 2 3 *").matches(LocalMinute(year: 2026, month: 2, day: 30, hour: 0, minute: 0)))
        #expect(try !CronExpression("0 0 30 2 *").matches(LocalMinute(year: 2026, month: 2, day: 30, hour: 0, minute: 0)))
    }
}
