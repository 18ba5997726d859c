/// What a schedule command can refuse.
public enum ScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No schedule has this name.
    case unknownSchedule(String, known: [String])
    /// A definition's cron expression does not parse.
    case invalidCron(schedule: String, message: String)
    /// A definition names a task this build does not register.
    case unknownTask(schedule: String, task: String)
    /// A schedule name outside `[a-z0-9][a-z0-9-]*`.
    case invalidName(String)

    public var description: String {
        switch self {
        case .unknownSchedule(let name, let known):
            return "unknown schedule \(name) (known: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
        case .invalidCron(let schedule, let message): return "schedule \(schedule): invalid cron expression: \(message)"
        case .unknownTask(let schedule, let task): return "schedule \(schedule): unknown task \(task) (see TaskRunner tasks)"
        case .invalidName(let name): return "invalid schedule name \(name): use lowercase letters, digits and dashes"
        }
    }
}
