import AppSupport
import FoundationEssentials

/// A row of the schedules table with its latest run, as `schedule list` and the API show it.
public struct Schedule: Sendable, Equatable {
    /// The definition (name, cron, task, args, description).
    public var definition: ScheduleDefinition
    /// Paused by an operator: cron still calls, the run is skipped.
    public var paused: Bool
    /// Runs started so far.
    public var runs: Int
    /// The latest run that was not skipped, if any.
    public var lastRun: ScheduleRun?
    /// When a run last succeeded.
    public var lastSuccessAt: Date?

    /// The schedule's name.
    public var name: String { definition.name }

    /// Creates a value.
    public init(definition: ScheduleDefinition, paused: Bool, runs: Int, lastRun: ScheduleRun?, lastSuccessAt: Date?) {
        self.definition = definition
        self.paused = paused
        self.runs = runs
        self.lastRun = lastRun
        self.lastSuccessAt = lastSuccessAt
    }

    /// The JSON form (`GET /api/schedules`, `schedule list --json`), with the next run computed
    /// in `timeZone` from `now`.
    public func json(now: Date, timeZone: TimeZone) -> JSONValue {
        let expression = try? CronExpression(definition.cron)
        let next = expression?.nextRun(after: now, in: timeZone)
        return [
            "name": .string(name), "cron": .string(definition.cron), "cron_words": expression.map { .string($0.words) } ?? .null,
            "task": .string(definition.task), "args": definition.args, "description": .string(definition.description),
            "paused": .bool(paused), "runs": .int(runs),
            "next_run_at": next.map { .string(Timestamps.iso8601($0)) } ?? .null,
            "last_run": lastRun?.json ?? .null,
            "last_success_at": lastSuccessAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
        ]
    }
}

/// One claimed slot of a schedule: which host ran it, its job, how it ended.
public struct ScheduleRun: Sendable, Equatable {
    /// The schedule's name.
    public var schedule: String
    /// The scheduled wall-clock minute.
    public var slot: LocalMinute
    /// The host that claimed it.
    public var host: String
    /// The process that claimed it.
    public var pid: Int
    /// The job that recorded it, once started.
    public var jobID: Int?
    /// running, succeeded, failed, cancelled or skipped.
    public var state: String
    /// Why it was skipped or failed, when known.
    public var reason: String?
    /// When it was claimed.
    public var startedAt: Date
    /// When it ended.
    public var finishedAt: Date?

    /// Creates a value.
    public init(
        schedule: String, slot: LocalMinute, host: String, pid: Int, jobID: Int?, state: String, reason: String?, startedAt: Date,
        finishedAt: Date?
    ) {
        self.schedule = schedule
        self.slot = slot
        self.host = host
        self.pid = pid
        self.jobID = jobID
        self.state = state
        self.reason = reason
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    /// The JSON form.
    public var json: JSONValue {
        [
            "schedule": .string(schedule), "slot": .string(slot.description), "host": .string(host), "pid": .int(pid),
            "job_id": jobID.map { .int($0) } ?? .null, "state": .string(state), "reason": reason.map { .string($0) } ?? .null,
            "started_at": .string(Timestamps.iso8601(startedAt)),
            "finished_at": finishedAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
        ]
    }
}
