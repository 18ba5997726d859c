import Access
import AppSupport
import FoundationEssentials
import Jobs
import Postgres

/// `database_maintenance`: purges finished jobs (and old schedule runs) past the retention period,
/// in batches, then `VACUUM (ANALYZE)`s each of the product's tables as a statement of its own
/// (outside any transaction, with a checkpoint between tables), and reports per table its size,
/// live and dead rows (before and after) and when it was last vacuumed.
///
/// Args: `retention_days` (1 to 3650; default `JOB_RETENTION_DAYS`, else 14). Schedule runs
/// finished before the same cutoff go too, except each schedule's latest. Export rows are kept:
/// their files in `EXPORT_DIR` would be orphaned.
public enum DatabaseMaintenanceTask {
    /// The registered name.
    public static let name = "database_maintenance"
    /// Days finished jobs are kept when neither the argument nor `JOB_RETENTION_DAYS` says.
    public static let defaultRetentionDays = 14
    /// The accepted retention, in days.
    public static let retentionRange = 1...3650

    /// The product's tables, in the order they are vacuumed (the job queue first). A constant:
    /// never taken from arguments. A table missing from the database is reported, not an error.
    public static let tables = [
        "jobs", "job_attempts", "workers", "weather_searches", "weather_daily_statistics", "weather_alerts",
        "weather_alert_notifications", "weather_exports", "task_cursors", "schedules", "schedule_runs", "schema_migrations", "api_tokens",
        "admin_users", "admin_sessions", "admin_login_failures",
    ]

    /// The task, with the default retention read from `environment` (`JOB_RETENTION_DAYS`) when it
    /// runs without `retention_days`; a bad value then fails the run permanently, naming the variable.
    public static func definition(environment: Environment) -> TaskDefinition {
        TaskDefinition(
            name: name, summary: "Purge finished jobs past retention, VACUUM (ANALYZE) the tables, report sizes and dead rows.",
            maxAttempts: 2, timeoutSeconds: 3600, run: { context in try run(context, environment: environment) })
    }

    static func run(_ context: JobContext, environment: Environment) throws -> JSONValue {
        let args = try TaskArguments(context.args, allowed: ["retention_days"])
        let days: Int
        if let given = try args.integer("retention_days", range: retentionRange) {
            days = given
        } else {
            do {
                days = try environment.integer("JOB_RETENTION_DAYS", default: defaultRetentionDays, range: retentionRange)
            } catch {
                throw PermanentFailure(String(describing: error))
            }
        }
        let database = try context.database()
        guard !database.inTransaction else { throw PermanentFailure("VACUUM cannot run inside a transaction") }
        let started = ContinuousClock.now
        let steps = tables.count + 1
        context.progress(0, of: steps, "purging jobs finished more than \(days) days ago")

        let retention = Duration.seconds(days * 86_400)
        let purgedJobs = try JobQueue(registry: TaskRegistry()).purgeFinished(olderThan: retention, on: database)
        var purgedRuns = 0
        while true {
            try context.checkpoint()
            let deleted = try database.execute(MaintenanceQueries.purgeScheduleRuns(olderThanSeconds: days * 86_400, limit: 5000))
            purgedRuns += deleted
            if deleted < 5000 { break }
        }
        // Admin sessions that ended or expired a week ago or more (only their hashes were kept).
        let purgedSessions = try AdminSessionStore.purge(keepSeconds: 7 * 86_400, on: database)
        context.progress(1, of: steps, "purged \(purgedJobs) jobs, \(purgedRuns) schedule runs and \(purgedSessions) admin sessions")

        let before = try statistics(on: database)
        var durations: [String: Int] = [:]
        for (index, table) in tables.enumerated() {
            try context.checkpoint()
            if before[table] != nil {
                let vacuumStarted = ContinuousClock.now
                try database.simpleQuery(MaintenanceQueries.vacuum(table: table))
                durations[table] = milliseconds(since: vacuumStarted)
            }
            context.progress(index + 2, of: steps, "vacuumed \(table)")
        }
        let after = try statistics(on: database)

        var report: [JSONValue] = []
        var totalBytes = 0
        for table in tables {
            guard let stats = after[table] else { continue }
            totalBytes += stats.bytes
            report.append([
                "table": .string(table), "bytes": .int(stats.bytes), "live_rows": .int(stats.liveRows),
                "dead_rows_before": .int(before[table]?.deadRows ?? 0), "dead_rows": .int(stats.deadRows),
                "last_vacuum": timestamp(stats.lastVacuum), "last_autovacuum": timestamp(stats.lastAutovacuum),
                "last_analyze": timestamp(stats.lastAnalyze), "vacuum_ms": durations[table].map { .int($0) } ?? .null,
            ])
        }
        let missing = tables.filter { after[$0] == nil }
        return [
            "retention_days": .int(days), "purged_jobs": .int(purgedJobs), "purged_schedule_runs": .int(purgedRuns),
            "purged_admin_sessions": .int(purgedSessions),
            "tables": .array(report), "total_bytes": .int(totalBytes), "missing_tables": .array(missing.map { .string($0) }),
            "duration_ms": .int(milliseconds(since: started)),
        ]
    }

    /// One table's figures from `pg_stat_user_tables`.
    struct TableStatistics {
        var bytes: Int
        var liveRows: Int
        var deadRows: Int
        var lastVacuum: Date?
        var lastAutovacuum: Date?
        var lastAnalyze: Date?
    }

    static func statistics(on database: PostgresConnection) throws -> [String: TableStatistics] {
        var out: [String: TableStatistics] = [:]
        for row in try database.query(MaintenanceQueries.tableStatistics(PostgresTextArray(tables))) {
            let analyzed = [try row.decode(Date?.self, "last_analyze"), try row.decode(Date?.self, "last_autoanalyze")].compactMap { $0 }
            out[try row.decode(String.self, "table_name")] = TableStatistics(
                bytes: try row.decode(Int.self, "bytes"), liveRows: try row.decode(Int.self, "live_rows"),
                deadRows: try row.decode(Int.self, "dead_rows"), lastVacuum: try row.decode(Date?.self, "last_vacuum"),
                lastAutovacuum: try row.decode(Date?.self, "last_autovacuum"), lastAnalyze: analyzed.max())
        }
        return out
    }

    static func timestamp(_ date: Date?) -> JSONValue {
        date.map { .string(Timestamps.iso8601($0)) } ?? .null
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        Int((start.duration(to: .now) / .milliseconds(1)).rounded())
    }
}
