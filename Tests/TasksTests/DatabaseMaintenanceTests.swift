import AppSupport
import Foundation
import Jobs
import Postgres
import Tasks
import Testing
import TestSupport

/// `database_maintenance`, each test on a database of its own (it purges and vacuums whole tables).
@Suite struct DatabaseMaintenanceTests {
    @Test func purgesPastRetentionVacuumsEveryTableAndReports() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            let db = try PostgresConnection(conninfo: url)
            // Jobs finished 30 and 2 days ago, and one still queued.
            try db.execute(
                """
                INSERT INTO jobs (task, state, finished_at)
                SELECT 'test_task', 'succeeded', now() - interval '30 days' FROM generate_series(1, 3)
                UNION ALL SELECT 'test_task', 'failed', now() - interval '2 days'
                """)
            try db.execute("INSERT INTO jobs (task) VALUES ('test_task')")
            // Schedule runs: three old ones and the latest (old too, but the latest is kept).
            try db.execute("INSERT INTO schedules (name, cron, task) VALUES ('every-day', '0 2 * * *', 'test_task')")
            try db.execute(
                """
                INSERT INTO schedule_runs (schedule, slot, host, pid, state, started_at, finished_at)
                SELECT 'every-day', timestamp '2020-01-01' + n * interval '1 day', 'h', 1, 'succeeded',
                       now() - interval '40 days', now() - interval '40 days'
                FROM generate_series(1, 4) AS n
                """)
            // Admin sessions: one ended 10 days ago, one expired 8 days ago, one live.
            try db.execute("INSERT INTO admin_users (username, password_hash) VALUES ('ops', '$y$placeholder')")
            try db.execute(
                """
                INSERT INTO admin_sessions (token_hash, user_id, csrf_token, expires_at, ended_at)
                SELECT repeat(n::text, 64), (SELECT id FROM admin_users), 'c', e, x
                FROM (VALUES (1, now() + interval '1 day', now() - interval '10 days'),
                             (2, now() - interval '8 days', NULL::timestamptz),
                             (3, now() + interval '1 day', NULL::timestamptz)) AS s (n, e, x)
                """)
            // Dead rows in weather_searches.
            try db.execute(
                "INSERT INTO weather_searches (city, temperature) SELECT 'Deadville', n FROM generate_series(1, 1000) AS n")
            try db.execute("DELETE FROM weather_searches WHERE temperature <= 600")
            try eventually("the statistics to count the dead rows") {
                try Ops.integer("SELECT n_dead_tup::int FROM pg_stat_user_tables WHERE relname = 'weather_searches'", on: db) >= 600
            }

            let job = try Ops.run("database_maintenance", args: ["retention_days": 14], databaseURL: url)
            #expect(job.state == .succeeded, "\(job.error ?? "")")
            let result = try #require(job.result)
            #expect(result["retention_days"] == .int(14))
            #expect(result["purged_jobs"] == .int(3))
            #expect(result["purged_schedule_runs"] == .int(3))
            #expect(result["purged_admin_sessions"] == .int(2))
            #expect(try Ops.integer("SELECT count(*)::int FROM admin_sessions", on: db) == 1)
            #expect(result["missing_tables"] == .array([]))
            #expect(try Ops.integer("SELECT count(*)::int FROM jobs WHERE task = 'test_task'", on: db) == 2)
            #expect(try Ops.integer("SELECT count(*)::int FROM schedule_runs", on: db) == 1)
            #expect(job.progressCurrent == DatabaseMaintenanceTask.tables.count + 1)

            guard case .array(let tables)? = result["tables"] else { Issue.record("no tables"); return }
            #expect(tables.compactMap { if case .string(let name)? = $0["table"] { name } else { nil } } == DatabaseMaintenanceTask.tables)
            let searches = try #require(tables.first { $0["table"] == .string("weather_searches") })
            guard case .int(let before)? = searches["dead_rows_before"], case .int(let after)? = searches["dead_rows"],
                case .int(let live)? = searches["live_rows"], case .int(let bytes)? = searches["bytes"]
            else { Issue.record("bad entry \(searches)"); return }
            #expect(before >= 600)
            #expect(after == 0)
            #expect(live == 400)
            #expect(bytes > 0)
            #expect(tables.allSatisfy { if case .string? = $0["last_vacuum"] { true } else { false } }, "every table vacuumed")
            if case .int(let total)? = result["total_bytes"] { #expect(total >= bytes) } else { Issue.record("no total_bytes") }
        }
    }

    /// The constant list must name every table the migrations create, or some would never be
    /// vacuumed nor reported.
    @Test func theTableListCoversEveryTableOfTheSchema() async throws {
        try await onThread {
            let db = try PostgresConnection(conninfo: TestDatabase.fresh())  // only what the migrations made
            let names = try db.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                .map { try $0.decode(String.self, "tablename") }
            let unlisted = Set(names).subtracting(DatabaseMaintenanceTask.tables)
            #expect(unlisted.isEmpty, "add these tables to DatabaseMaintenanceTask.tables: \(unlisted.sorted())")
        }
    }

    @Test func retentionComesFromTheEnvironmentUnlessGiven() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            let db = try PostgresConnection(conninfo: url)
            let thirty = DatabaseMaintenanceTask.definition(environment: Environment(["JOB_RETENTION_DAYS": "30"]))
            let job = try Ops.run("database_maintenance", registry: TaskRegistry([thirty]), databaseURL: url)
            #expect(job.state == .succeeded, "\(job.error ?? "")")
            #expect(job.result?["retention_days"] == .int(30))
            #expect(try Ops.call(DatabaseMaintenanceTask.definition(environment: Environment([:])), args: [:], on: db)["retention_days"] == .int(14))

            let broken = DatabaseMaintenanceTask.definition(environment: Environment(["JOB_RETENTION_DAYS": "0"]))
            let error = #expect(throws: PermanentFailure.self) { try Ops.call(broken, args: [:], on: db) }
            #expect(error?.message.contains("JOB_RETENTION_DAYS") == true)
            // An argument wins over a bad variable.
            #expect(try Ops.call(broken, args: ["retention_days": 7], on: db)["retention_days"] == .int(7))
            let bad = #expect(throws: PermanentFailure.self) { try Ops.call(broken, args: ["retention_days": 0], on: db) }
            #expect(bad?.message.contains("retention_days") == true)
        }
    }

    /// What the task relies on: VACUUM is refused inside a transaction block and runs as a
    /// simple-protocol statement of its own.
    @Test func vacuumRunsOnlyOutsideATransaction() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            try db.simpleQuery("VACUUM (ANALYZE, SKIP_LOCKED) \"task_cursors\"")
            #expect(throws: PostgresError.self) {
                try db.transaction { connection in try connection.simpleQuery("VACUUM task_cursors") }
            }
            try db.transaction { connection in
                let error = #expect(throws: PermanentFailure.self) {
                    try Ops.call(DatabaseMaintenanceTask.definition(environment: Environment([:])), args: [:], on: connection)
                }
                #expect(error?.message.contains("transaction") == true)
            }
        }
    }
}
