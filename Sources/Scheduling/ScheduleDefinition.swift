import AppSupport

/// One periodic entry: a name, a cron expression, the task it runs and its arguments.
public struct ScheduleDefinition: Sendable, Equatable {
    /// The schedule name (`cleanup-old-searches`...), as in the contract and crontab/.
    public var name: String
    /// The cron expression, in the cron daemon's local time.
    public var cron: String
    /// The registered task it runs.
    public var task: String
    /// The task's arguments.
    public var args: JSONValue
    /// One line for people.
    public var description: String

    /// Creates a definition.
    public init(name: String, cron: String, task: String, args: JSONValue = [:], description: String) {
        self.name = name
        self.cron = cron
        self.task = task
        self.args = args
        self.description = description
    }
}
