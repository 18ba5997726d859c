import FoundationEssentials
import Postgres

/// The statements behind the web admin's job pages: listings filtered by time as well as state
/// and task, the dashboard's figures (bounded in cost like `/metrics`), and retry as a copy.
enum AdminJobQueries {
    /// The most rows one dashboard figure reads (waiting jobs, jobs finished in the last hour).
    static let figureCap = 100_000

    /// Jobs newest first (by id) below `before`, filtered by whichever of state, task and creation
    /// time (`from` inclusive, `to` exclusive) are given. Only used with a time filter: the
    /// listings without one go through `JobListingQueries`, one statement per index.
    static func newest(state: String?, task: String?, from: Date?, to: Date?, before: Int, limit: Int) -> PostgresQuery {
        """
        SELECT \(unsafeRaw: Job.columns) FROM jobs
        WHERE id < \(before)
          AND (\(state)::text IS NULL OR state = \(state))
          AND (\(task)::text IS NULL OR task = \(task))
          AND created_at >= coalesce(\(from)::timestamptz, '-infinity')
          AND created_at < coalesce(\(to)::timestamptz, 'infinity')
        ORDER BY id DESC
        LIMIT \(limit)
        """
    }

    /// Rows of `(kind, queue, state, jobs)`: `active` (queued, retrying, running now; waiting
    /// rows counted up to the cap), `finished` (in the last hour, up to the cap), `capped` (1 when
    /// a cap was reached), `workers` (daemons heartbeating in the last 30 seconds).
    static let figures: PostgresQuery = """
        WITH waiting AS (
            SELECT queue, state FROM jobs WHERE state IN ('queued', 'retrying') LIMIT \(unsafeRaw: String(figureCap + 1))
        ), active AS (
            SELECT queue, state FROM waiting UNION ALL SELECT queue, state FROM jobs WHERE state = 'running'
        ), recent AS (
            SELECT queue, state FROM jobs WHERE finished_at > now() - interval '1 hour'
            ORDER BY finished_at DESC LIMIT \(unsafeRaw: String(figureCap + 1))
        )
        SELECT 'active' AS kind, queue, state, count(*)::bigint AS jobs FROM active GROUP BY queue, state
        UNION ALL SELECT 'finished', queue, state, count(*)::bigint FROM recent GROUP BY queue, state
        UNION ALL SELECT 'capped', '', '', (CASE WHEN (SELECT count(*) FROM waiting) > \(unsafeRaw: String(figureCap))
                                                  OR (SELECT count(*) FROM recent) > \(unsafeRaw: String(figureCap)) THEN 1 ELSE 0 END)::bigint
        UNION ALL SELECT 'workers', '', '', count(*)::bigint FROM workers
                  WHERE stopped_at IS NULL AND last_heartbeat_at > now() - interval '30 seconds'
        """

    /// Jobs that finished in the last hour, by minute (`ago`: 0 is the current minute, 59 the
    /// oldest) and final state; the finished-jobs index bounds the scan.
    static let throughput: PostgresQuery = """
        SELECT floor(extract(epoch FROM now() - finished_at) / 60)::int AS ago, state, count(*)::bigint AS jobs
        FROM (SELECT finished_at, state FROM jobs WHERE finished_at > now() - interval '1 hour'
              ORDER BY finished_at DESC LIMIT \(unsafeRaw: String(figureCap))) recent
        GROUP BY 1, 2
        """

    /// A new job with the task, args, queue, priority, attempts and time limit of job `id`, when
    /// that one failed or was cancelled; daemons are woken. Returns the new job, or nothing.
    static func retryCopy(_ id: Int) -> PostgresQuery {
        """
        WITH inserted AS (
            INSERT INTO jobs (task, args, queue, priority, max_attempts, timeout_seconds)
            SELECT task, args, queue, priority, max_attempts, timeout_seconds FROM jobs
            WHERE id = \(id) AND state IN ('failed', 'cancelled')
            RETURNING \(unsafeRaw: Job.columns)
        ), notified AS (
            SELECT pg_notify(\(JobQueries.jobsChannel), '') FROM inserted
        )
        SELECT *, (SELECT count(*) FROM notified) AS notified FROM inserted
        """
    }
}
