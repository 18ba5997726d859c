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
        let active = Dictionary(values("jobs").map { ("\($0.a)\u{0}\($0.b)", $0.value) }, uniquingKeysWith: +)
        let finished = Dictionary(values("finished").map { ("\($0.a)\u{0}\($0.b)", $0.value) }, uniquingKeysWith: +)
        text.family(
            "weather_jobs", type: "gauge",
            help: "Jobs waiting or running now, by queue and state (queued includes delayed jobs; counts stop at \(MetricsQueries.waitingCap) waiting jobs, see weather_jobs_count_capped).")
        for queue in queues.sorted() {
            for state in DatabaseFigures.activeStates {
                text.sample("weather_jobs", [("queue", queue), ("state", state)], active["\(queue)\u{0}\(state)"] ?? 0)
            }
        }
        text.family("weather_jobs_count_capped", type: "gauge", help: "1 when more jobs wait than one scrape counts (\(MetricsQueries.waitingCap)): weather_jobs is then a lower bound.")
        text.sample("weather_jobs_count_capped", [], values("capped").first?.value ?? 0)
        text.family(
            "weather_jobs_recently_finished", type: "gauge",
            help: "Jobs that finished in the last \(MetricsQueries.recentWindowSeconds / 60) minutes (the most recent \(MetricsQueries.recentFinishedLimit) at most), by queue and final state.")
        for queue in queues.sorted() {
            for state in DatabaseFigures.finishedStates {
                text.sample("weather_jobs_recently_finished", [("queue", queue), ("state", state)], finished["\(queue)\u{0}\(state)"] ?? 0)
            }
        }
        text.family(
            "weather_job_oldest_waiting_seconds", type: "gauge",
            help: "Seconds since the oldest due job of a queue became due (0 when none waits).")
        let oldest = Dictionary(values("oldest_waiting").map { ($0.a, $0.value) }, uniquingKeysWith: max)
        for queue in queues.sorted() {
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

        // Schedules.
        text.family(
            "weather_schedule_last_success_timestamp_seconds", type: "gauge",
            help: "When the schedule's last successful run finished (unix seconds); absent before its first success.")
        for row in values("schedule_last_success") {
            text.sample("weather_schedule_last_success_timestamp_seconds", [("schedule", row.a)], row.value)
        }
        text.family("weather_schedule_last_run_ok", type: "gauge", help: "1 when the schedule's last finished run succeeded, 0 when it failed or was cancelled.")
        for row in values("schedule_last_ok") {
            text.sample("weather_schedule_last_run_ok", [("schedule", row.a)], row.value)
        }
        text.family("weather_schedule_paused", type: "gauge", help: "1 when the schedule is paused.")
        for row in values("schedule_paused") {
            text.sample("weather_schedule_paused", [("schedule", row.a)], row.value)
        }
        text.family("weather_schedule_runs_total", type: "counter", help: "Runs the schedule has started so far (skipped slots not counted).")
        for row in values("schedule_runs") {
            text.sample("weather_schedule_runs_total", [("schedule", row.a)], row.value)
        }
    }
}
