import AppSupport
import FoundationEssentials
import Jobs
import Scheduling

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

/// A civil date without a time zone, such as a statistics day (calendar arithmetic from
/// `LocalMinute`).
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    private static let utc = TimeZone(identifier: "UTC")!

    /// Parses `YYYY-MM-DD`, refusing dates that do not exist.
    public init?(_ text: String) {
        guard text.utf8.count == 10, let minute = LocalMinute(parsing: text + " 00:00") else { return nil }
        self.init(minute)
    }

    /// The UTC date of `date`.
    public init(utc date: Date) {
        self.init(LocalMinute(date, in: CalendarDay.utc))
    }

    private init(_ minute: LocalMinute) {
        year = minute.year
        month = minute.month
        day = minute.day
    }

    private var midnight: LocalMinute { LocalMinute(year: year, month: month, day: day, hour: 0, minute: 0) }

    /// Midnight UTC at the start of the day.
    public var midnightUTC: Date { midnight.date(in: CalendarDay.utc) }

    /// `YYYY-MM-DD`.
    public var description: String { String(midnight.description.prefix(10)) }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
