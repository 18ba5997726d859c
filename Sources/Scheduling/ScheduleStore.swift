import AppSupport
import FoundationEssentials
import Jobs
import Postgres

/// Reads and changes the schedules table.
public struct ScheduleStore: Sendable {
    /// The tasks schedules may name.
    public let registry: TaskRegistry

    /// A store checking task names against `registry`.
    public init(registry: TaskRegistry) {
        self.registry = registry
    }

    /// Checks a definition: its name, its cron expression, its task.
    public func validate(_ definition: ScheduleDefinition) throws(ScheduleError) {
        let name = definition.name
        guard let first = name.unicodeScalars.first, name.count <= 63,
            ("0"..."9").contains(first) || ("a"..."z").contains(first),
            name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { throw .invalidName(name) }
        do {
            _ = try CronExpression(definition.cron)
        } catch {
            throw .invalidCron(schedule: name, message: error.description)
        }
        guard registry[definition.task] != nil else { throw .unknownTask(schedule: name, task: definition.task) }
    }

    /// Writes the built-in schedules into the table (new ones added, changed ones updated; an
    /// operator's pause and the history are kept). Returns how many rows changed.
    @discardableResult
    public func sync(_ definitions: [ScheduleDefinition] = ScheduleCatalog.builtIn, on connection: PostgresConnection) throws -> Int {
        try connection.transaction { connection in
            var changed = 0
            for definition in definitions {
                changed += try connection.execute(ScheduleQueries.upsert(definition))
            }
            return changed
        }
    }

    /// Adds or replaces one schedule (an operator's own, such as a backup).
    public func save(_ definition: ScheduleDefinition, on connection: PostgresConnection) throws {
        try validate(definition)
        _ = try connection.execute(ScheduleQueries.upsert(definition))
    }

    /// Removes a schedule and its history.
    public func remove(_ name: String, on connection: PostgresConnection) throws {
        guard try connection.execute(ScheduleQueries.delete(name)) > 0 else {
            throw ScheduleError.unknownSchedule(name, known: try names(on: connection))
        }
    }

    /// Every schedule, by name.
    public func list(on connection: PostgresConnection) throws -> [Schedule] {
        try connection.query(ScheduleQueries.list(name: nil)).map(Schedule.init(row:))
    }

    /// Up to `limit` schedules whose name sorts after `after` (nil: from the first), by name.
    public func page(after: String?, limit: Int, on connection: PostgresConnection) throws -> [Schedule] {
        try connection.query(ScheduleQueries.page(after: after, limit: max(1, limit))).map(Schedule.init(row:))
    }

    /// One schedule, or `ScheduleError.unknownSchedule`.
    public func schedule(_ name: String, on connection: PostgresConnection) throws -> Schedule {
        guard let row = try connection.query(ScheduleQueries.list(name: name)).first else {
            throw ScheduleError.unknownSchedule(name, known: try names(on: connection))
        }
        return try Schedule(row: row)
    }

    /// Pauses (`true`) or resumes (`false`) a schedule.
    public func setPaused(_ name: String, _ paused: Bool, on connection: PostgresConnection) throws {
        guard try !connection.query(ScheduleQueries.setPaused(name, paused)).isEmpty else {
            throw ScheduleError.unknownSchedule(name, known: try names(on: connection))
        }
    }

    /// The latest runs of a schedule (skipped ones included), newest first.
    public func runs(of name: String, limit: Int = 20, on connection: PostgresConnection) throws -> [ScheduleRun] {
        _ = try schedule(name, on: connection)
        return try connection.query(ScheduleQueries.recentRuns(name, limit: limit)).map(ScheduleRun.init(row:))
    }

    func names(on connection: PostgresConnection) throws -> [String] {
        try list(on: connection).map(\.name)
    }
}

extension Schedule {
    init(row: PostgresRow) throws {
        let definition = ScheduleDefinition(
            name: try row.decode(String.self, "name"), cron: try row.decode(String.self, "cron"), task: try row.decode(String.self, "task"),
            args: try JSONValue.parse(try row.decode(String.self, "args")), description: try row.decode(String.self, "description"))
        let lastRun: ScheduleRun? = try row.decode(String?.self, "slot") == nil ? nil : try ScheduleRun(row: row)
        self.init(
            definition: definition, paused: try row.decode(Bool.self, "paused"), runs: try row.decode(Int.self, "runs"), lastRun: lastRun,
            lastSuccessAt: try row.decode(Date?.self, "last_success_at"))
    }
}

extension ScheduleRun {
    init(row: PostgresRow) throws {
        let slotText = try row.decode(String.self, "slot")
        guard let slot = LocalMinute(parsing: slotText) else {
            throw PostgresError(kind: .decoding, message: "bad slot \(slotText)")
        }
        self.init(
            schedule: try row.decode(String.self, "schedule"), slot: slot, host: try row.decode(String.self, "host"),
            pid: try row.decode(Int.self, "pid"), jobID: try row.decode(Int?.self, "job_id"), state: try row.decode(String.self, "state"),
            reason: try row.decode(String?.self, "reason"), startedAt: try row.decode(Date.self, "started_at"),
            finishedAt: try row.decode(Date?.self, "finished_at"))
    }
}
