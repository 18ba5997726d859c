import AppSupport
import FoundationEssentials
import Jobs
import Postgres
import Scheduling
#if canImport(Glibc)
import Glibc
#endif

/// `health_check`: the database, the queue (depth, oldest waiting job), live workers, each
/// schedule's last run and success, and free disk in EXPORT_DIR. Its result lists every check
/// as `ok`, `warning` or `failing`; when one is failing the task fails (without retry), so
/// `TaskRunner run --schedule health-check` exits non-zero under cron.
///
/// Failing: a runnable job waiting longer than `HEALTH_MAX_WAIT_SECONDS` (default 900), jobs
/// waiting with no live daemon, less than `HEALTH_MIN_FREE_MB` (default 512) free in EXPORT_DIR,
/// more than `HEALTH_MAX_QUEUE_DEPTH` (default 10000) runnable jobs. Warnings: EXPORT_DIR unset,
/// a schedule whose last run did not succeed.
public enum HealthCheckTask {
    /// The task's registration, configured from `environment`.
    public static func definition(environment: Environment) -> TaskDefinition {
        TaskDefinition(
            name: "health_check", summary: "Check the database, queue, workers, schedules and free disk; fail when unhealthy.",
            maxAttempts: 1, timeoutSeconds: 60
        ) { context in try run(context, environment: environment) }
    }

    struct Check {
        var name: String
        var status: String
        var detail: String
        var figures: [String: JSONValue] = [:]

        var json: JSONValue {
            var object: [String: JSONValue] = ["name": .string(name), "status": .string(status), "detail": .string(detail)]
            for (key, value) in figures { object[key] = value }
            return .object(object)
        }
    }

    static func run(_ context: JobContext, environment: Environment) throws -> JSONValue {
        let arguments = try TaskArguments(context.args, allowed: [])
        _ = arguments
        let maxWait: Int
        let minFreeMB: Int
        let maxDepth: Int
        do {
            maxWait = try environment.integer("HEALTH_MAX_WAIT_SECONDS", default: 900, range: 1...604_800)
            minFreeMB = try environment.integer("HEALTH_MIN_FREE_MB", default: 512, range: 0...100_000_000)
            maxDepth = try environment.integer("HEALTH_MAX_QUEUE_DEPTH", default: 10_000, range: 1...10_000_000)
        } catch {
            throw PermanentFailure("configuration error: \(error)")
        }
        let connection = try context.database()
        var checks: [Check] = []

        let clock = ContinuousClock()
        let started = clock.now
        let row = try connection.query(HealthQueries.queue(cap: maxDepth, aliveSeconds: 30)).first
        let roundTrip = started.duration(to: clock.now)
        checks.append(Check(name: "database", status: "ok", detail: "answered", figures: ["round_trip_ms": .double(roundTrip.milliseconds)]))

        let depth = try row?.decode(Int.self, "depth") ?? 0
        let oldest = try row?.decode(Double?.self, "oldest_seconds") ?? nil
        let workers = try row?.decode(Int.self, "live_workers") ?? 0
        let depthText = depth > maxDepth ? "more than \(maxDepth)" : "\(depth)"
        var queue = Check(
            name: "queue", status: "ok", detail: "\(depthText) runnable job\(depth == 1 ? "" : "s")",
            figures: ["depth": .int(min(depth, maxDepth)), "depth_capped": .bool(depth > maxDepth), "oldest_wait_seconds": oldest.map { .double($0.rounded()) } ?? .null])
        if depth > maxDepth {
            queue.status = "failing"
            queue.detail += " (limit HEALTH_MAX_QUEUE_DEPTH=\(maxDepth))"
        } else if let oldest, oldest > Double(maxWait) {
            queue.status = "failing"
            queue.detail += "; the oldest has waited \(Int(oldest)) s (limit HEALTH_MAX_WAIT_SECONDS=\(maxWait))"
        }
        checks.append(queue)

        var workersCheck = Check(name: "workers", status: "ok", detail: "\(workers) live daemon\(workers == 1 ? "" : "s")", figures: ["live": .int(workers)])
        if workers == 0 && depth > 0 {
            workersCheck.status = "failing"
            workersCheck.detail = "no live daemon while \(depthText) job\(depth == 1 ? "" : "s") wait"
        }
        checks.append(workersCheck)

        try context.checkpoint()
        let schedules = try ScheduleStore(registry: TaskRegistry()).list(on: connection)
        var scheduleFigures: [JSONValue] = []
        var notSucceeded: [String] = []
        for schedule in schedules {
            let lastState = schedule.lastRun?.state
            if let lastState, lastState != "succeeded", lastState != "running", schedule.name != "health-check" {
                notSucceeded.append("\(schedule.name) (\(lastState))")
            }
            scheduleFigures.append([
                "name": .string(schedule.name), "paused": .bool(schedule.paused), "last_state": lastState.map { .string($0) } ?? .null,
                "last_run_at": schedule.lastRun.map { .string(Timestamps.iso8601($0.startedAt)) } ?? .null,
                "last_success_at": schedule.lastSuccessAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
            ])
        }
        checks.append(
            Check(
                name: "schedules", status: notSucceeded.isEmpty ? "ok" : "warning",
                detail: notSucceeded.isEmpty ? "\(schedules.count) schedules; no failed last run" : "last run not succeeded: \(notSucceeded.joined(separator: ", "))",
                figures: ["schedules": .array(scheduleFigures)]))

        if let directory = environment.string("EXPORT_DIR") {
            var stats = statvfs()
            if statvfs(directory, &stats) == 0 {
                let freeMB = Int(UInt64(stats.f_bavail) * UInt64(stats.f_frsize) / 1_048_576)
                let totalMB = Int(UInt64(stats.f_blocks) * UInt64(stats.f_frsize) / 1_048_576)
                checks.append(
                    Check(
                        name: "disk", status: freeMB < minFreeMB ? "failing" : "ok",
                        detail: "\(freeMB) MB free of \(totalMB) MB in EXPORT_DIR" + (freeMB < minFreeMB ? " (limit HEALTH_MIN_FREE_MB=\(minFreeMB))" : ""),
                        figures: ["free_mb": .int(freeMB), "total_mb": .int(totalMB), "path": .string(directory)]))
            } else {
                checks.append(Check(name: "disk", status: "failing", detail: "cannot read EXPORT_DIR \(directory): \(String(cString: strerror(errno)))"))
            }
        } else {
            checks.append(Check(name: "disk", status: "warning", detail: "EXPORT_DIR is not set"))
        }

        let failing = checks.filter { $0.status == "failing" }
        let status = !failing.isEmpty ? "unhealthy" : checks.contains { $0.status == "warning" } ? "degraded" : "healthy"
        let result: JSONValue = ["status": .string(status), "checks": .array(checks.map(\.json))]
        if !failing.isEmpty {
            throw PermanentFailure("unhealthy: " + failing.map { "\($0.name): \($0.detail)" }.joined(separator: "; ") + " — " + result.serialized)
        }
        return result
    }
}

extension Duration {
    var milliseconds: Double {
        let parts = components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }
}
