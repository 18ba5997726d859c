import Postgres

/// Statements of `health_check`.
enum HealthQueries {
    /// Waiting jobs (counted up to `cap`), the age of the oldest runnable one, live workers.
    static func queue(cap: Int, aliveSeconds: Int) -> PostgresQuery {
        """
        SELECT (SELECT count(*) FROM (SELECT 1 FROM jobs WHERE state IN ('queued', 'retrying') AND run_at <= now()
                                      LIMIT \(cap + 1)) waiting)::int AS depth,
               (SELECT extract(epoch FROM now() - min(run_at))::float8 FROM jobs
                 WHERE state IN ('queued', 'retrying') AND run_at <= now()) AS oldest_seconds,
               (SELECT count(*) FROM workers WHERE stopped_at IS NULL AND id NOT LIKE 'run:%'
                  AND last_heartbeat_at > now() - \(aliveSeconds) * interval '1 second')::int AS live_workers
        """
    }
}
