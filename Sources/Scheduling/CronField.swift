/// One of the five fields of a cron expression, in the order they are written.
public enum CronFieldKind: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Minute of the hour, 0-59.
    case minute
    /// Hour of the day, 0-23.
    case hour
    /// Day of the month, 1-31.
    case dayOfMonth
    /// Month, 1-12 or jan-dec.
    case month
    /// Day of the week, 0-7 (0 and 7 are both Sunday) or sun-sat.
    case dayOfWeek

    /// The name used in error messages: "minute", "hour", "day-of-month", "month", "day-of-week".
    public var description: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// The values the field accepts as written: 0-59, 0-23, 1-31, 1-12, 0-7.
    public var range: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// The steps the field accepts: 1 up to the number of distinct values (60, 24, 31, 12, 7).
    public var stepRange: ClosedRange<Int> {
        switch self {
        case .minute: 1...60
        case .hour: 1...24
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 1...7
        }
    }

    /// Lowercase three-letter names and their values (month: jan = 1; day-of-week: sun = 0).
    var names: [String: Int] {
        switch self {
        case .month:
            ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
             "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
        case .dayOfWeek:
            ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]
        default:
            [:]
        }
    }
}

/// One parsed field: its list items (kept for `words`) and the set of values it matches.
struct CronField: Sendable, Equatable {
    /// What a list item starts with.
    enum Base: Sendable, Equatable {
        /// `*`: the whole range.
        case star
        /// A single value (with a step: from it to the end of the range).
        case value(Int)
        /// `a-b`, a <= b.
        case range(Int, Int)
    }

    /// One list item: a base and its step as written (nil when there is none).
    struct Item: Sendable, Equatable {
        var base: Base
        var step: Int?
    }

    let kind: CronFieldKind
    let items: [Item]
    /// Bit v is set when the field matches value v; for day-of-week 7 is folded onto 0.
    let values: UInt64
    /// The field's text starts with `*` (Vixie cron's DOM_STAR/DOW_STAR: it decides the day rule).
    let startsWithStar: Bool

    init(_ kind: CronFieldKind, _ text: Substring) throws(CronExpressionError) {
        self.kind = kind
        startsWithStar = text.hasPrefix("*")
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        var items: [Item] = []
        var values: UInt64 = 0
        for part in parts {
            guard !part.isEmpty else { throw .emptyListItem(field: kind, text: String(text)) }
            let item = try Self.parseItem(part, kind)
            items.append(item)
            let (low, high): (Int, Int)
            switch item.base {
            case .star: (low, high) = (kind.range.lowerBound, kind.range.upperBound)
            case .value(let value): (low, high) = (value, item.step == nil ? value : kind.range.upperBound)
            case .range(let start, let end): (low, high) = (start, end)
            }
            for value in stride(from: low, through: high, by: item.step ?? 1) {
                values |= 1 << UInt64(kind == .dayOfWeek && value == 7 ? 0 : value)
            }
        }
        self.items = items
        self.values = values
    }

    /// Whether the field matches `value` (day-of-week: 0-6, Sunday 0).
    func contains(_ value: Int) -> Bool {
        value >= 0 && value < 64 && values & (1 << UInt64(value)) != 0
    }

    /// The smallest matched value >= `value`, or nil.
    func next(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let mask = value <= 0 ? values : values & ~((1 << UInt64(value)) - 1)
        return mask == 0 ? nil : mask.trailingZeroBitCount
    }

    /// The largest matched value <= `value`, or nil.
    func previous(atOrBefore value: Int) -> Int? {
        guard value >= 0 else { return nil }
        let mask = value >= 63 ? values : values & ((1 << UInt64(value + 1)) - 1)
        return mask == 0 ? nil : 63 - mask.leadingZeroBitCount
    }

    /// Every day of the month (bits 1-31) and every day of the week (bits 0-6).
    static let allDaysOfMonth: UInt64 = ((1 << 32) - 1) & ~1
    static let allDaysOfWeek: UInt64 = (1 << 7) - 1

    /// The matched values in increasing order (day-of-week: 0-6).
    var sortedValues: [Int] {
        (0..<64).filter { contains($0) }
    }

    /// The field matches every value it can (e.g. `*`, `0-59`, `0-6` for day-of-week).
    var matchesEverything: Bool {
        let low = kind.range.lowerBound
        let high = kind == .dayOfWeek ? 6 : kind.range.upperBound
        return (low...high).allSatisfy { contains($0) }
    }

    /// The values when every item is a single value without a step, else nil.
    var singleValues: [Int]? {
        var result: [Int] = []
        for item in items {
            guard item.step == nil, case .value(let value) = item.base else { return nil }
            result.append(value)
        }
        return result
    }

    private static func parseItem(_ text: Substring, _ kind: CronFieldKind) throws(CronExpressionError) -> Item {
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2, !pieces[0].isEmpty else { throw .malformed(field: kind, text: String(text)) }
        var step: Int?
        if pieces.count == 2 {
            let stepText = pieces[1]
            guard !stepText.isEmpty else { throw .malformed(field: kind, text: String(text)) }
            guard isDigits(stepText) else { throw .notANumber(field: kind, text: String(stepText)) }
            guard let value = Int(stepText), kind.stepRange.contains(value) else {
                throw .stepOutOfRange(field: kind, step: String(stepText), range: kind.stepRange)
            }
            step = value
        }
        let baseText = pieces[0]
        if baseText == "*" {
            return Item(base: .star, step: step)
        }
        let bounds = baseText.split(separator: "-", omittingEmptySubsequences: false)
        switch bounds.count {
        case 1:
            return Item(base: .value(try parseValue(baseText, kind)), step: step)
        case 2 where !bounds[0].isEmpty && !bounds[1].isEmpty:
            let start = try parseValue(bounds[0], kind)
            let end = try parseValue(bounds[1], kind)
            guard start <= end else { throw .reversedRange(field: kind, text: String(baseText)) }
            return Item(base: .range(start, end), step: step)
        default:
            throw .malformed(field: kind, text: String(text))
        }
    }

    private static func parseValue(_ text: Substring, _ kind: CronFieldKind) throws(CronExpressionError) -> Int {
        if isDigits(text) {
            guard let value = Int(text), kind.range.contains(value) else {
                throw .outOfRange(field: kind, value: String(text), range: kind.range)
            }
            return value
        }
        if let value = kind.names[text.lowercased()] {
            return value
        }
        throw .notANumber(field: kind, text: String(text))
    }

    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
