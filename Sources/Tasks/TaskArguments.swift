import AppSupport
import FoundationEssentials
import Jobs

/// A task's JSON arguments, read field by field. Every mistake (not an object, an unknown name,
/// a wrong type, a value out of range) is a `PermanentFailure` naming the field: retrying
/// cannot fix bad input.
public struct TaskArguments {
    private let fields: [String: JSONValue]

    /// Reads `args`, which must be an object (or null, meaning no arguments) whose keys are all in
    /// `allowed`.
    public init(_ args: JSONValue, allowed: Set<String>) throws {
        switch args {
        case .null: fields = [:]
        case .object(let object): fields = object
        default: throw PermanentFailure("args must be a JSON object")
        }
        let unknown = fields.keys.filter { !allowed.contains($0) }.sorted()
        if !unknown.isEmpty {
            let known = allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")
            throw PermanentFailure("unknown argument\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", ")) (known: \(known))")
        }
    }

    /// The raw value of `name`, or nil when absent or null.
    public subscript(_ name: String) -> JSONValue? {
        switch fields[name] {
        case nil, .null?: return nil
        case let value?: return value
        }
    }

    /// A string argument.
    public func string(_ name: String) throws -> String? {
        switch self[name] {
        case nil: return nil
        case .string(let value)?: return value
        default: throw PermanentFailure("\(name) must be a string")
        }
    }

    /// An integer argument within `range`.
    public func integer(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        switch self[name] {
        case nil: return nil
        case .int(let value)? where range.contains(value): return value
        default: throw PermanentFailure("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
    }

    /// A number argument within `range` (integers accepted).
    public func number(_ name: String, range: ClosedRange<Double>) throws -> Double? {
        let value: Double
        switch self[name] {
        case nil: return nil
        case .int(let integer)?: value = Double(integer)
        case .double(let double)?: value = double
        default: throw PermanentFailure("\(name) must be a number")
        }
        guard range.contains(value) else { throw PermanentFailure("\(name) must be from \(range.lowerBound) to \(range.upperBound)") }
        return value
    }

    /// A boolean argument.
    public func boolean(_ name: String) throws -> Bool? {
        switch self[name] {
        case nil: return nil
        case .bool(let value)?: return value
        default: throw PermanentFailure("\(name) must be true or false")
        }
    }

    /// A calendar date `YYYY-MM-DD` (a real date: 2026-02-30 is refused).
    public func date(_ name: String) throws -> CalendarDay? {
        guard let text = try string(name) else { return nil }
        guard let day = CalendarDay(text) else { throw PermanentFailure("\(name) must be a date written YYYY-MM-DD, not \(text)") }
        return day
    }

    /// A timestamp: ISO 8601 (`2026-11-25T08:00:00Z`, with or without fraction, any offset) or a
    /// plain date (its midnight UTC).
    public func timestamp(_ name: String) throws -> Date? {
        guard let text = try string(name) else { return nil }
        if let date = Timestamps.parseISO8601(text) { return date }
        if let day = CalendarDay(text) { return day.midnightUTC }
        throw PermanentFailure("\(name) must be an ISO 8601 time such as 2026-11-25T08:00:00Z, or a date YYYY-MM-DD, not \(text)")
    }
}

/// A civil date without a time zone, such as a statistics day.
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Parses `YYYY-MM-DD`, refusing dates that do not exist.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= CalendarDay.days(in: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The UTC date of `date`.
    public init(utc date: Date) {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        // Civil from days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Midnight UTC at the start of the day.
    public var midnightUTC: Date {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: Double(days) * 86_400)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func days(in month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
