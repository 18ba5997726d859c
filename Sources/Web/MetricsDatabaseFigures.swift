import Postgres
import Storage

/// The queue, worker and schedule figures of one scrape (rows of `MetricsQueries.snapshot`),
/// written as Prometheus families.
struct DatabaseFigures {
    /// Rows by kind: `(a, b, value)`.
    private var rows: [String: [(a: String, b: String, value: Double)]] = [:]

    /// The states `weather_jobs` always lists for every queue it knows, so a drained queue shows 0.
    static let activeStates = ["queued", "retrying", "running"]
    /// The final states.
    static let finishedStates = ["succeeded", "failed", "cancelled"]

    init(rows result: PostgresRows) throws {
        for row in result {
            let kind = try row.decode(String.self, "kind")
            let value = try row.decode(Double?.self, "value") ?? 0
            rows[kind, default: []].append((try row.decode(String?.self, "a") ?? "", try row.decode(String?.self, "b") ?? "", value))
        }
    }

    private func values(_ kind: String) -> [(a: String, b: String, value: Double)] {
        (rows[kind] ?? []).sorted { ($0.a, $0.b) < ($1.a, $1.b) }
    }

    func write(into text: inout MetricsText) {
        // Jobs by queue and state: every queue seen gets every state, zero when none.
        var queues = Set(values("jobs").map(\.a))
        queues.formUnion(values("finished").map(\.a))
        queues.insert("default")
        let queueNames = queues.sorted()
        writeByQueueAndState(
            "weather_jobs", kind: "jobs", states: DatabaseFigures.activeStates, queues: queueNames,
            help: "Jobs waiting or running now, by queue and state (queued includes delayed jobs; counts stop at \(MetricsQueries.waitingCap) waiting jobs, see weather_jobs_count_capped).",
            into: &text)
        text.family("weather_jobs_count_capped", type: "gauge", help: "1 when more jobs wait than one scrape counts (\(MetricsQueries.waitingCap)): weather_jobs is then a lower bound.")
        text.sample("weather_jobs_count_capped", [], values("capped").first?.value ?? 0)
        writeByQueueAndState(
            "weather_jobs_recently_finished", kind: "finished", states: DatabaseFigures.finishedStates, queues: queueNames,
            help: "Jobs that finished in the last \(MetricsQueries.recentWindowSeconds / 60) minutes (the most recent \(MetricsQueries.recentFinishedLimit) at most), by queue and final state.",
            into: &text)
        text.family(
            "weather_job_oldest_waiting_seconds", type: "gauge",
            help: "Seconds since the oldest due job of a queue became due (0 when none waits).")
        let oldest = Dictionary(values("oldest_waiting").map { ($0.a, $0.value) }, uniquingKeysWith: max)
        for queue in queueNames {
            text.sample("weather_job_oldest_waiting_seconds", [("queue", queue)], max(0, oldest[queue] ?? 0))
        }

        // Durations and retries of recent finished jobs, by task.
        let counts = values("duration_count"), sums = Dictionary(values("duration_sum").map { ($0.a, $0.value) }, uniquingKeysWith: +)
        let p50 = Dictionary(values("duration_p50").map { ($0.a, $0.value) }, uniquingKeysWith: max)
        let p99 = Dictionary(values("duration_p99").map { ($0.a, $0.value) }, uniquingKeysWith: max)
        text.family(
            "weather_job_duration_seconds", type: "summary",
            help: "Run time of the last attempt of jobs finished in the last \(MetricsQueries.recentWindowSeconds / 60) minutes (the most recent \(MetricsQueries.recentFinishedLimit) at most), by task.")
        for row in counts {
            text.sample("weather_job_duration_seconds", [("task", row.a), ("quantile", "0.5")], p50[row.a] ?? 0)
            text.sample("weather_job_duration_seconds", [("task", row.a), ("quantile", "0.99")], p99[row.a] ?? 0)
            text.sample("weather_job_duration_seconds_sum", [("task", row.a)], sums[row.a] ?? 0)
            text.sample("weather_job_duration_seconds_count", [("task", row.a)], row.value)
        }
        text.family(
            "weather_job_retries", type: "gauge",
            help: "Retried attempts (attempts beyond the first) of jobs finished in the last \(MetricsQueries.recentWindowSeconds / 60) minutes (the most recent \(MetricsQueries.recentFinishedLimit) at most), by task.")
        for row in values("retries") {
            text.sample("weather_job_retries", [("task", row.a)], row.value)
        }

        text.family("weather_workers_live", type: "gauge", help: "TaskRunner daemons that heartbeat in the last 30 seconds.")
        text.sample("weather_workers_live", [], values("live_workers").first?.value ?? 0)

        // Schedules: one sample a schedule each.
        for (name, type, kind, help) in [
            ("weather_schedule_last_success_timestamp_seconds", "gauge", "schedule_last_success",
             "When the schedule's last successful run finished (unix seconds); absent before its first success."),
            ("weather_schedule_last_run_ok", "gauge", "schedule_last_ok", "1 when the schedule's last finished run succeeded, 0 when it failed or was cancelled."),
            ("weather_schedule_paused", "gauge", "schedule_paused", "1 when the schedule is paused."),
            ("weather_schedule_runs_total", "counter", "schedule_runs", "Runs the schedule has started so far (skipped slots not counted)."),
        ] {
            text.family(name, type: type, help: help)
            for row in values(kind) {
                text.sample(name, [("schedule", row.a)], row.value)
            }
        }
    }

    /// A gauge of the rows of `kind` by queue and state: every queue gets every one of `states`,
    /// zero when it has none.
    private func writeByQueueAndState(
        _ name: String, kind: String, states: [String], queues: [String], help: String, into text: inout MetricsText
    ) {
        let counts = Dictionary(values(kind).map { ("\($0.a)\u{0}\($0.b)", $0.value) }, uniquingKeysWith: +)
        text.family(name, type: "gauge", help: help)
        for queue in queues {
            for state in states {
                text.sample(name, [("queue", queue), ("state", state)], counts["\(queue)\u{0}\(state)"] ?? 0)
            }
        }
    }
}
