import Postgres

/// The query behind `/metrics`: the queue, the workers and the schedules in one round trip of
/// bounded cost, whatever the size of the tables.
public enum MetricsQueries {
    /// The most waiting jobs one scrape counts; beyond it, the counts say "at least" and
    /// `capped` is 1.
    public static let waitingCap = 100_000
    /// The most recent finished jobs the duration and retry figures cover.
    public static let recentFinishedLimit = 10_000
    /// How far back those finished jobs may go.
    public static let recentWindowSeconds = 3_600

    /// Rows of `(kind, a, b, value)`:
    /// - `jobs` (a = queue, b = state): waiting and running jobs (queued, retrying, running);
    /// - `finished` (a = queue, b = state): jobs finished within the window;
    /// - `capped` (value 1 when the waiting count hit `waitingCap`);
    /// - `oldest_waiting` (a = queue): seconds since the oldest due waiting job became due;
    /// - `duration_count`, `duration_sum`, `duration_p50`, `duration_p99`, `retries` (a = task):
    ///   the last attempt's run time of recent finished jobs, and the retried attempts they had;
    /// - `live_workers`: daemons that heartbeat in the last 30 seconds;
    /// - `schedule_last_success` (a = schedule): unix seconds of its last successful run;
    /// - `schedule_last_ok` (a = schedule): 1 when its last finished run succeeded, else 0;
    /// - `schedule_paused`, `schedule_runs` (a = schedule).
    public static let snapshot: PostgresQuery = """
        WITH waiting AS (
            SELECT queue, state, run_at FROM jobs WHERE state IN ('queued', 'retrying') LIMIT \(unsafeRaw: String(waitingCap + 1))
        ), active AS (
            SELECT queue, state FROM waiting
            UNION ALL SELECT queue, state FROM jobs WHERE state = 'running'
        ), recent AS (
            SELECT id, task, queue, state, attempts, started_at, finished_at FROM jobs
            WHERE finished_at IS NOT NULL AND finished_at > now() - interval '\(unsafeRaw: String(recentWindowSeconds)) seconds'
            ORDER BY finished_at DESC LIMIT \(unsafeRaw: String(recentFinishedLimit))
        ), timed AS (
            SELECT task, extract(epoch FROM finished_at - started_at)::float8 AS seconds FROM recent
            WHERE started_at IS NOT NULL AND started_at <= finished_at
        ), last_runs AS (
            SELECT s.name, s.paused, s.runs,
                   (SELECT extract(epoch FROM coalesce(r.finished_at, r.started_at))::float8 FROM schedule_runs r
                     WHERE r.schedule = s.name AND r.state = 'succeeded' ORDER BY r.started_at DESC LIMIT 1) AS last_success,
                   (SELECT r.state FROM schedule_runs r
                     WHERE r.schedule = s.name AND r.state IN ('succeeded', 'failed', 'cancelled') ORDER BY r.started_at DESC LIMIT 1) AS last_state
            FROM schedules s
        )
        SELECT 'jobs' AS kind, queue AS a, state AS b, count(*)::float8 AS value FROM active GROUP BY queue, state
        UNION ALL SELECT 'finished', queue, state, count(*)::float8 FROM recent GROUP BY queue, state
        UNION ALL SELECT 'capped', '', '', CASE WHEN (SELECT count(*) FROM waiting) > \(unsafeRaw: String(waitingCap)) THEN 1 ELSE 0 END::float8
        UNION ALL SELECT 'oldest_waiting', queue, '', extract(epoch FROM now() - min(run_at))::float8 FROM waiting
                  WHERE run_at <= now() GROUP BY queue
        UNION ALL SELECT 'duration_count', task, '', count(*)::float8 FROM timed GROUP BY task
        UNION ALL SELECT 'duration_sum', task, '', sum(seconds) FROM timed GROUP BY task
        UNION ALL SELECT 'duration_p50', task, '', percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FROM timed GROUP BY task
        UNION ALL SELECT 'duration_p99', task, '', percentile_cont(0.99) WITHIN GROUP (ORDER BY seconds) FROM timed GROUP BY task
        UNION ALL SELECT 'retries', task, '', sum(greatest(attempts - 1, 0))::float8 FROM recent GROUP BY task
        UNION ALL SELECT 'live_workers', '', '', count(*)::float8 FROM workers
                  WHERE stopped_at IS NULL AND last_heartbeat_at > now() - interval '30 seconds'
        UNION ALL SELECT 'schedule_last_success', name, '', last_success FROM last_runs WHERE last_success IS NOT NULL
        UNION ALL SELECT 'schedule_last_ok', name, '', CASE WHEN last_state = 'succeeded' THEN 1 ELSE 0 END::float8
                  FROM last_runs WHERE last_state IS NOT NULL
        UNION ALL SELECT 'schedule_paused', name, '', CASE WHEN paused THEN 1 ELSE 0 END::float8 FROM last_runs
        UNION ALL SELECT 'schedule_runs', name, '', runs::float8 FROM last_runs
        """
}
