/// Why a text is not a cron expression. Each message names the field and the text at fault,
/// e.g. "hour field: 24 is out of range 0-23".
public enum CronExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is empty or only whitespace.
    case empty
    /// Not five fields (minute hour day-of-month month day-of-week); `found` is how many there were.
    case wrongFieldCount(found: Int)
    /// An `@` word that is not one of `@yearly @annually @monthly @weekly @daily @midnight @hourly`.
    case unknownMacro(String)
    /// `@reboot`: it runs when cron starts, so it has no slot on the clock.
    case rebootHasNoSchedule
    /// A macro followed by more text (a macro replaces all five fields).
    case macroTakesNoFields(String)
    /// A list with an empty item (`1,,2`, `,5`, `5,`); `text` is the whole field.
    case emptyListItem(field: CronFieldKind, text: String)
    /// A value that is neither a number nor (for month and day-of-week) a three-letter name.
    case notANumber(field: CronFieldKind, text: String)
    /// A value outside the field's range; `value` as written.
    case outOfRange(field: CronFieldKind, value: String, range: ClosedRange<Int>)
    /// A step of 0, or larger than the field has values; `step` as written.
    case stepOutOfRange(field: CronFieldKind, step: String, range: ClosedRange<Int>)
    /// A range `a-b` with a after b; `text` is the range as written.
    case reversedRange(field: CronFieldKind, text: String)
    /// A list item that is not `*`, a value, a range `a-b`, or one of those followed by `/step`.
    case malformed(field: CronFieldKind, text: String)

    /// One line for a person, naming the field and the text at fault.
    public var description: String {
        switch self {
        case .empty:
            return "empty cron expression: expected five fields (minute hour day-of-month month day-of-week) or a macro such as @daily"
        case .wrongFieldCount(let found):
            return "expected 5 fields (minute hour day-of-month month day-of-week), found \(found)"
        case .unknownMacro(let text):
            return "unknown macro '\(text)': expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"
        case .rebootHasNoSchedule:
            return "@reboot is not supported: it runs when cron starts, not at a time of day"
        case .macroTakesNoFields(let text):
            return "'\(text)': a macro stands for all five fields and takes nothing after it"
        case .emptyListItem(let field, let text):
            return "\(field) field: empty item in the list '\(text)'"
        case .notANumber(let field, let text):
            switch field {
            case .month: return "month field: '\(text)' is not a number (1-12) or a month name (jan-dec)"
            case .dayOfWeek: return "day-of-week field: '\(text)' is not a number (0-7) or a day name (sun-sat)"
            default: return "\(field) field: '\(text)' is not a number"
            }
        case .outOfRange(let field, let value, let range):
            return "\(field) field: \(value) is out of range \(range.lowerBound)-\(range.upperBound)"
        case .stepOutOfRange(let field, let step, let range):
            return "\(field) field: step \(step) is out of range \(range.lowerBound)-\(range.upperBound)"
        case .reversedRange(let field, let text):
            let hint = field == .dayOfWeek ? " (write 7 for Sunday at the end of a range, e.g. fri-7)" : ""
            return "\(field) field: range \(text) is reversed: its start is after its end\(hint)"
        case .malformed(let field, let text):
            return "\(field) field: '\(text)' is not a value, a range a-b, or either with a step /n"
        }
    }
}
