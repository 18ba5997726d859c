import AppSupport
import Foundation
import Jobs
import Logging
import Postgres
import Scheduling
import Tasks
import Testing
import TestSupport

/// `health_check` on a database of its own: healthy, then each failing check.
@Suite("health_check task")
struct HealthCheckTaskTests {
    static func registry(_ values: [String: String]) -> TaskRegistry {
        TaskCatalog.registry(environment: Environment(values))
    }

    static func run(_ url: String, _ values: [String: String]) throws -> Job {
        let connection = try PostgresConnection(conninfo: url)
        return try ManualRun(registry: registry(values), databaseURL: url, logger: Logger(label: "test"))
            .run(EnqueueRequest(task: "health_check"), on: connection)
    }

    @Test("healthy: every check ok, with its figures")
    func healthy() async throws {
        let url = try await TestDatabase.fresh()
        let exportDir = try Repository.temporaryDirectory("health")
        let job = try await onThread { try HealthCheckTaskTests.run(url, ["EXPORT_DIR": exportDir, "HEALTH_MIN_FREE_MB": "1"]) }
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        #expect(job.result?["status"] == "healthy")
        guard case .array(let checks)? = job.result?["checks"] else {
            Issue.record("no checks in \(String(describing: job.result))")
            return
        }
        let names = checks.compactMap { check -> String? in if case .string(let name)? = check["name"] { return name } else { return nil } }
        #expect(names == ["database", "queue", "workers", "schedules", "disk"])
        #expect(checks.allSatisfy { $0["status"] == "ok" })
        #expect(checks[4]["path"] == .string(exportDir))
        if case .int(let free)? = checks[4]["free_mb"] { #expect(free > 0) } else { Issue.record("no free_mb") }
    }

    @Test("jobs waiting too long with no live daemon, and too little disk: unhealthy, the task fails without retry")
    func unhealthy() async throws {
        let url = try await TestDatabase.fresh()
        let exportDir = try Repository.temporaryDirectory("health")
        let job = try await onThread { () throws -> Job in
            let connection = try PostgresConnection(conninfo: url)
            _ = try JobQueue(registry: TaskCatalog.registry).enqueue(EnqueueRequest(task: "test_task", queue: "nobody-drains"), on: connection)
            try connection.execute("UPDATE jobs SET run_at = now() - interval '20 minutes' WHERE queue = 'nobody-drains'")
            return try HealthCheckTaskTests.run(url, ["EXPORT_DIR": exportDir, "HEALTH_MIN_FREE_MB": "100000000"])
        }
        #expect(job.state == .failed)
        #expect(job.attempts == 1)
        let error = job.error ?? ""
        #expect(error.hasPrefix("unhealthy: "))
        #expect(error.contains("queue: 1 runnable job; the oldest has waited"))
        #expect(error.contains("workers: no live daemon while 1 job wait"))
        #expect(error.contains("disk: "))
        #expect(error.contains("HEALTH_MIN_FREE_MB"))
    }

    @Test("a schedule whose last run failed, or EXPORT_DIR unset: degraded, still a success")
    func degraded() async throws {
        let url = try await TestDatabase.fresh()
        let job = try await onThread { () throws -> Job in
            let connection = try PostgresConnection(conninfo: url)
            try ScheduleStore(registry: TaskCatalog.registry).sync(on: connection)
            try connection.execute(
                "INSERT INTO schedule_runs (schedule, slot, host, pid, state, reason, finished_at) VALUES ('cleanup-old-searches', '2026-11-25 02:00', 'h', 1, 'failed', 'boom', now())"
            )
            return try HealthCheckTaskTests.run(url, [:])
        }
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        #expect(job.result?["status"] == "degraded")
        let text = job.result?.serialized ?? ""
        #expect(text.contains("last run not succeeded: cleanup-old-searches (failed)"))
        #expect(text.contains("EXPORT_DIR is not set"))
    }

    @Test("arguments are refused: health_check takes none")
    func noArguments() async throws {
        let url = try await TestDatabase.fresh()
        let job = try await onThread { () throws -> Job in
            let connection = try PostgresConnection(conninfo: url)
            return try ManualRun(registry: TaskCatalog.registry, databaseURL: url, logger: Logger(label: "test"))
                .run(EnqueueRequest(task: "health_check", args: ["verbose": true]), on: connection)
        }
        #expect(job.state == .failed)
        #expect(job.error?.contains("unknown argument verbose") == true)
    }
}
