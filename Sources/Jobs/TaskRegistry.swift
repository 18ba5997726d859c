import AppSupport

/// A task the queue can run: its name, defaults and code.
public struct TaskDefinition: Sendable {
    /// The registered name (`test_task`, `cleanup_old_searches`...).
    public var name: String
    /// One line for `TaskRunner tasks`.
    public var summary: String
    /// Attempts before failing, unless the job says otherwise.
    public var maxAttempts: Int
    /// Per-attempt time limit in seconds, unless the job says otherwise.
    public var timeoutSeconds: Int
    /// The work. Throw `PermanentFailure` for errors that must not be retried; call
    /// `context.checkpoint()` often so cancellation and timeouts can stop it.
    public var run: @Sendable (JobContext) throws -> JSONValue

    /// Creates a definition.
    public init(
        name: String, summary: String, maxAttempts: Int = 3, timeoutSeconds: Int = 300,
        run: @escaping @Sendable (JobContext) throws -> JSONValue
    ) {
        self.name = name
        self.summary = summary
        self.maxAttempts = maxAttempts
        self.timeoutSeconds = timeoutSeconds
        self.run = run
    }
}

/// The tasks a process knows, by name.
public struct TaskRegistry: Sendable {
    private var definitions: [String: TaskDefinition] = [:]

    /// A registry of `definitions`.
    public init(_ definitions: [TaskDefinition] = []) {
        for definition in definitions { register(definition) }
    }

    /// Adds (or replaces) a task.
    public mutating func register(_ definition: TaskDefinition) {
        definitions[definition.name] = definition
    }

    /// The task named `name`.
    public subscript(_ name: String) -> TaskDefinition? { definitions[name] }

    /// Every task, by name.
    public var all: [TaskDefinition] { definitions.values.sorted { $0.name < $1.name } }
}
