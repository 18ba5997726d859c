import AppSupport
import FoundationEssentials
import Jobs
import Logging
import Postgres

/// `TaskRunner run --schedule NAME`, what each crontab entry calls. It works out the slot (the
/// scheduled wall-clock minute, from the cron expression, so every host agrees), claims it in
/// the database, and runs the task in this process, recorded like a job. It skips, saying why,
/// when the schedule is paused, when the slot already ran on any host, or when the previous run
/// is still going.
public struct ScheduledRun {
    /// What happened.
    public enum Outcome: Sendable, Equatable {
        /// The task ran: the slot and the finished job.
        case ran(slot: LocalMinute, job: Job)
        /// Nothing ran, for this reason.
        case skipped(reason: String)
    }

    let registry: TaskRegistry
    let databaseURL: String
    let timeZone: TimeZone
    let logger: Logger
    /// A run whose worker has not heartbeated for this long is presumed dead.
    let aliveSeconds: Int

    /// Creates a runner. `timeZone` must be the cron daemon's (the process's local zone).
    public init(registry: TaskRegistry, databaseURL: String, timeZone: TimeZone = .current, aliveSeconds: Int = 30, logger: Logger) {
        self.registry = registry
        self.databaseURL = databaseURL
        self.timeZone = timeZone
        self.aliveSeconds = aliveSeconds
        self.logger = logger
    }

    /// Runs schedule `name` for the slot due at `now`.
    public func run(schedule name: String, now: Date = Date(), on connection: PostgresConnection) throws -> Outcome {
        let identity = WorkerIdentity.current()
        let claim = try connection.transaction { connection -> Claim in
            try claimSlot(name, now: now, host: identity.host, pid: identity.pid, on: connection)
        }
        let slot: LocalMinute
        let definition: ScheduleDefinition
        switch claim {
        case .skip(let reason):
            logger.debug("schedule \(name): skipped: \(reason)")
            return .skipped(reason: reason)
        case .claimed(let claimedSlot, let claimedDefinition):
            slot = claimedSlot
            definition = claimedDefinition
        }
        logger.info("schedule \(name): running \(definition.task) for slot \(slot)")
        let runner = ManualRun(registry: registry, databaseURL: databaseURL, logger: logger)
        let job: Job
        do {
            job = try runner.run(EnqueueRequest(task: definition.task, args: definition.args, queue: "schedule"), on: connection) { id in
                do {
                    try connection.execute(ScheduleQueries.attachJob(name, slot: slot.description, jobID: id))
                } catch {
                    logger.warning("schedule \(name): could not record job \(id) for slot \(slot): \(error)")
                }
            }
        } catch {
            _ = try? connection.execute(ScheduleQueries.finishRun(name, slot: slot.description, state: "failed", reason: "\(error)"))
            throw error
        }
        try connection.execute(
            ScheduleQueries.finishRun(name, slot: slot.description, state: job.state.rawValue, reason: job.state == .succeeded ? nil : job.error))
        logger.info("schedule \(name): slot \(slot) \(job.state.rawValue) (job \(job.id))")
        return .ran(slot: slot, job: job)
    }

    enum Claim {
        case claimed(LocalMinute, ScheduleDefinition)
        case skip(String)
    }

    /// In one transaction, with the schedule's row locked (two hosts take turns): checks pause,
    /// slot and overlap, then records the claim.
    func claimSlot(_ name: String, now: Date, host: String, pid: Int, on connection: PostgresConnection) throws -> Claim {
        guard let row = try connection.query(ScheduleQueries.lockForClaim(name)).first else {
            let known = try ScheduleStore(registry: registry).names(on: connection)
            throw ScheduleError.unknownSchedule(name, known: known)
        }
        let definition = ScheduleDefinition(
            name: name, cron: try row.decode(String.self, "cron"), task: try row.decode(String.self, "task"),
            args: try JSONValue.parse(try row.decode(String.self, "args")), description: try row.decode(String.self, "description"))
        if try row.decode(Bool.self, "paused") { return .skip("the schedule is paused") }
        let expression: CronExpression
        do {
            expression = try CronExpression(definition.cron)
        } catch {
            throw ScheduleError.invalidCron(schedule: name, message: error.description)
        }
        guard let slot = expression.latestSlot(atOrBefore: now, in: timeZone) else {
            return .skip("no slot of \(definition.cron) in the past year")
        }
        let slotText = slot.description
        if let previous = try connection.query(ScheduleQueries.run(name, slot: slotText)).first.map(ScheduleRun.init(row:)) {
            return .skip("slot \(slotText) already \(previous.state == "running" ? "running" : "ran") on \(previous.host) (pid \(previous.pid))")
        }
        if let going = try settlePreviousRuns(name, on: connection) {
            let reason = "the previous run (slot \(going.slot), on \(going.host), pid \(going.pid)) is still going"
            try connection.execute(ScheduleQueries.insertRun(name, slot: slotText, host: host, pid: pid, state: "skipped", reason: reason))
            return .skip(reason)
        }
        try connection.execute(ScheduleQueries.insertRun(name, slot: slotText, host: host, pid: pid, state: "running", reason: nil))
        try connection.execute(ScheduleQueries.markStarted(name, slot: slotText))
        return .claimed(slot, definition)
    }

    /// Closes runs still marked running whose job has finished or whose process is gone, and
    /// returns one that is really still going, if any.
    func settlePreviousRuns(_ name: String, on connection: PostgresConnection) throws -> ScheduleRun? {
        var going: ScheduleRun?
        for row in try connection.query(ScheduleQueries.runningRuns(name, aliveSeconds: aliveSeconds)) {
            let run = try ScheduleRun(row: row)
            let jobState = try row.decode(String?.self, "job_state").flatMap(JobState.init(rawValue:))
            if let jobState, jobState.isFinished {
                try connection.execute(
                    ScheduleQueries.finishRun(name, slot: run.slot.description, state: jobState.rawValue, reason: try row.decode(String?.self, "job_error")))
            } else if try row.decode(Bool.self, "alive") || (run.jobID == nil && row.decode(Bool.self, "recent")) {
                going = run
            } else {
                try connection.execute(
                    ScheduleQueries.finishRun(name, slot: run.slot.description, state: "failed", reason: "lost: its process stopped before the run ended"))
            }
        }
        return going
    }
}
