import Postgres

/// Every statement of the queue, by name. Notification channels:
/// `weather_jobs` (a runnable job was enqueued or handed back; payload empty),
/// `weather_job_done` (jobs reached a final state; payload: comma-separated ids),
/// `weather_job_cancel` (a running job was asked to stop; payload: its id).
enum JobQueries {
    static let jobsChannel = "weather_jobs"
    static let doneChannel = "weather_job_done"
    static let cancelChannel = "weather_job_cancel"

    /// Inserts the jobs of a JSON array (see `EnqueueRequest.batchDocument`) in one statement, skips those
    /// whose unique key is taken, and notifies daemons once if any is runnable now.
    static func insertBatch(_ document: PostgresJSON) -> PostgresQuery {
        """
        WITH input AS (
            SELECT * FROM ROWS FROM (jsonb_to_recordset(\(document)) AS (
                task text, args jsonb, queue text, priority int, delay_ms bigint, max_attempts int,
                timeout_seconds int, unique_key text, run_at timestamptz)) WITH ORDINALITY AS r(
                task, args, queue, priority, delay_ms, max_attempts, timeout_seconds, unique_key, run_at, ord)
        ), inserted AS (
            INSERT INTO jobs (task, args, queue, priority, run_at, max_attempts, timeout_seconds, unique_key)
            SELECT task, coalesce(args, '{}'::jsonb), queue, priority,
                   coalesce(run_at, now() + delay_ms * interval '1 millisecond'), coalesce(max_attempts, 3), timeout_seconds,
                   unique_key
            FROM input ORDER BY ord
            ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('queued', 'retrying', 'running')
            DO NOTHING
            RETURNING id, unique_key, run_at <= now() AS runnable
        ), notified AS (
            SELECT pg_notify(\(JobQueries.jobsChannel), '') FROM inserted WHERE runnable HAVING count(*) > 0
        )
        SELECT id, unique_key, (SELECT count(*) FROM notified) AS notified FROM inserted ORDER BY id
        """
    }

    /// Inserts one validated job and returns its whole row (no second round trip to read it) and
    /// `runnable`, or nothing when its unique key is held. With `notify`, also notifies daemons
    /// when it is runnable now; without, the caller wakes them after the commit (`JobWakeups`).
    static func insertOneReturningJob(_ request: EnqueueRequest, notify: Bool = true) -> PostgresQuery {
        let tail =
            notify
            ? """
            ), notified AS (
                SELECT pg_notify('\(jobsChannel)', '') FROM inserted WHERE run_at <= now()
            )
            SELECT *, run_at <= now() AS runnable, (SELECT count(*) FROM notified) AS notified FROM inserted
            """
            : """
            )
            SELECT *, run_at <= now() AS runnable FROM inserted
            """
        return """
        WITH inserted AS (
            INSERT INTO jobs (task, args, queue, priority, run_at, max_attempts, timeout_seconds, unique_key)
            VALUES (\(request.task), \(PostgresJSON(text: request.args.serialized)), \(request.queue), \(request.priority),
                    coalesce(\(request.runAt)::timestamptz, now() + \(request.delayMilliseconds) * interval '1 millisecond'),
                    \(request.maxAttempts ?? 3), \(request.timeoutSeconds), \(request.uniqueKey))
            ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('queued', 'retrying', 'running')
            DO NOTHING
            RETURNING \(unsafeRaw: Job.columns)
        \(unsafeRaw: tail)
        """
    }

    /// A job row for `TaskRunner run`: already running, one attempt, on `worker`.
    static func insertRunning(task: String, args: PostgresJSON, queue: String, timeoutSeconds: Int, worker: String) -> PostgresQuery {
        """
        INSERT INTO jobs (task, args, queue, state, attempts, max_attempts, timeout_seconds, worker, started_at)
        VALUES (\(task), \(args), \(queue), 'running', 1, 1, \(timeoutSeconds), \(worker), now())
        RETURNING id
        """
    }

    /// The job holding `key` while it is not finished.
    static func activeByUniqueKey(_ key: String) -> PostgresQuery {
        "SELECT \(unsafeRaw: Job.columns) FROM jobs WHERE unique_key = \(key) AND state IN ('queued', 'retrying', 'running')"
    }

    static func byID(_ id: Int) -> PostgresQuery {
        "SELECT \(unsafeRaw: Job.columns) FROM jobs WHERE id = \(id)"
    }

    /// Claims up to `limit` runnable jobs of `queue` for `worker`, highest priority first, then
    /// oldest; locked rows are skipped so daemons never wait on each other. One queue per
    /// statement: with `queue = $1`, `jobs_claim_idx` yields rows already in order, so a claim
    /// never sorts the backlog (`= ANY` over several queues would).
    static func claim(queue: String, limit: Int, worker: String) -> PostgresQuery {
        """
        WITH picked AS (
            SELECT id FROM jobs
            WHERE state IN ('queued', 'retrying') AND queue = \(queue) AND run_at <= now()
            ORDER BY priority DESC, run_at, id
            LIMIT \(limit)
            FOR UPDATE SKIP LOCKED
        )
        UPDATE jobs j
        SET state = 'running', attempts = j.attempts + 1, worker = \(worker), started_at = now(),
            progress_current = NULL, progress_total = NULL, progress_message = NULL
        FROM picked WHERE j.id = picked.id
        RETURNING j.id, j.task, j.args, j.attempts, j.max_attempts, j.timeout_seconds, j.priority, j.run_at,
                  j.cancel_requested
        """
    }

    /// Writes a batch of attempt outcomes (a JSON array of `Completion`), records each attempt in
    /// the history, and notifies waiters of the jobs that reached a final state. Outcomes of a
    /// worker that no longer owns the attempt (rescued meanwhile) are ignored.
    static func complete(_ document: PostgresJSON, worker: String) -> PostgresQuery {
        """
        WITH done AS (
            SELECT * FROM jsonb_to_recordset(\(document)) AS d(
                id bigint, attempt int, state text, outcome text, result jsonb, error text, retry_in_ms bigint)
        ), updated AS (
            UPDATE jobs j
            SET state = d.state, result = d.result, error = d.error,
                finished_at = CASE WHEN d.state IN ('succeeded', 'failed', 'cancelled') THEN now() END,
                run_at = CASE WHEN d.state = 'retrying' THEN now() + d.retry_in_ms * interval '1 millisecond' ELSE j.run_at END,
                cancel_requested = false
            FROM done d
            WHERE j.id = d.id AND j.state = 'running' AND j.attempts = d.attempt AND j.worker = \(worker)
            RETURNING j.id, d.attempt, j.worker, j.started_at, d.outcome, d.error, d.state
        ), history AS (
            INSERT INTO job_attempts (job_id, attempt, worker, started_at, outcome, error)
            SELECT id, attempt, worker, started_at, outcome, error FROM updated
            ON CONFLICT (job_id, attempt) DO NOTHING
        ), finished AS (
            SELECT string_agg(id::text, ',') AS ids FROM updated WHERE state <> 'retrying'
        ), notified AS (
            SELECT pg_notify(\(JobQueries.doneChannel), ids) FROM finished WHERE ids IS NOT NULL
        )
        SELECT (SELECT count(*) FROM updated) AS updated, (SELECT count(*) FROM notified) AS notified
        """
    }

    /// Gives jobs back to the queue without counting the attempt (shutdown, unstarted prefetch).
    static func handBack(ids: PostgresTextArray, worker: String) -> PostgresQuery {
        """
        WITH back AS (
            UPDATE jobs
            SET state = CASE WHEN attempts > 1 THEN 'retrying' ELSE 'queued' END, attempts = attempts - 1,
                worker = NULL, started_at = NULL, run_at = now()
            WHERE id = ANY(\(ids)::bigint[]) AND state = 'running' AND worker = \(worker)
            RETURNING id
        ), notified AS (
            SELECT pg_notify(\(JobQueries.jobsChannel), '') FROM back HAVING count(*) > 0
        )
        SELECT (SELECT count(*) FROM back) AS handed_back, (SELECT count(*) FROM notified) AS notified
        """
    }

    /// Cancels a job: a waiting one at once, a running one by request (the worker stops it).
    static func cancel(_ id: Int) -> PostgresQuery {
        """
        WITH target AS (
            SELECT id, state FROM jobs WHERE id = \(id) FOR UPDATE
        ), updated AS (
            UPDATE jobs j
            SET state = CASE WHEN t.state IN ('queued', 'retrying') THEN 'cancelled' ELSE j.state END,
                finished_at = CASE WHEN t.state IN ('queued', 'retrying') THEN now() ELSE j.finished_at END,
                error = CASE WHEN t.state IN ('queued', 'retrying') THEN 'cancelled before it ran' ELSE j.error END,
                cancel_requested = (t.state = 'running')
            FROM target t WHERE j.id = t.id AND t.state IN ('queued', 'retrying', 'running')
            RETURNING j.id, j.state
        ), notified AS (
            SELECT pg_notify(CASE WHEN state = 'running' THEN \(JobQueries.cancelChannel) ELSE \(JobQueries.doneChannel) END, id::text)
            FROM updated
        )
        SELECT t.state AS previous, u.state AS state, (SELECT count(*) FROM notified) AS notified
        FROM target t LEFT JOIN updated u ON u.id = t.id
        """
    }

    static func updateProgress(id: Int, worker: String, current: Int, total: Int, message: String?) -> PostgresQuery {
        """
        UPDATE jobs SET progress_current = \(current), progress_total = \(total), progress_message = \(message)
        WHERE id = \(id) AND state = 'running' AND worker = \(worker)
        """
    }

    /// Running jobs of `worker` whose cancellation was requested (fallback for a missed NOTIFY).
    static func cancelRequested(worker: String) -> PostgresQuery {
        "SELECT id FROM jobs WHERE state = 'running' AND worker = \(worker) AND cancel_requested"
    }

    static func registerWorker(id: String, host: String, pid: Int, queues: PostgresTextArray, concurrency: Int) -> PostgresQuery {
        """
        INSERT INTO workers (id, host, pid, queues, concurrency) VALUES (\(id), \(host), \(pid), \(queues)::text[], \(concurrency))
        ON CONFLICT (id) DO UPDATE SET last_heartbeat_at = now(), stopped_at = NULL
        """
    }

    static func heartbeat(worker: String) -> PostgresQuery {
        "UPDATE workers SET last_heartbeat_at = now() WHERE id = \(worker)"
    }

    static func workerStopped(worker: String) -> PostgresQuery {
        "UPDATE workers SET stopped_at = now(), last_heartbeat_at = now() WHERE id = \(worker)"
    }

    /// Rescues jobs whose worker stopped heartbeating `seconds` ago (or stopped, or is unknown):
    /// the attempt counts, and the job is retried or failed by the usual rules.
    static func rescue(afterSeconds seconds: Int) -> PostgresQuery {
        """
        WITH lost AS (
            SELECT j.id FROM jobs j LEFT JOIN workers w ON w.id = j.worker
            WHERE j.state = 'running' AND j.started_at < now() - \(seconds) * interval '1 second'
              AND (w.id IS NULL OR w.stopped_at IS NOT NULL OR w.last_heartbeat_at < now() - \(seconds) * interval '1 second')
            FOR UPDATE OF j SKIP LOCKED
        ), updated AS (
            UPDATE jobs j
            SET state = CASE WHEN j.attempts >= j.max_attempts THEN 'failed' ELSE 'retrying' END,
                error = 'worker ' || coalesce(j.worker, '?') || ' stopped heartbeating during attempt ' || j.attempts,
                finished_at = CASE WHEN j.attempts >= j.max_attempts THEN now() END,
                run_at = now(), cancel_requested = false
            FROM lost WHERE j.id = lost.id
            RETURNING j.id, j.attempts, j.worker, j.started_at, j.error, j.state
        ), history AS (
            INSERT INTO job_attempts (job_id, attempt, worker, started_at, outcome, error)
            SELECT id, attempts, worker, started_at, 'lost', error FROM updated
            ON CONFLICT (job_id, attempt) DO NOTHING
        ), finished AS (
            SELECT string_agg(id::text, ',') AS ids FROM updated WHERE state = 'failed'
        ), notified AS (
            SELECT pg_notify(\(JobQueries.doneChannel), ids) FROM finished WHERE ids IS NOT NULL
            UNION ALL
            SELECT pg_notify(\(JobQueries.jobsChannel), '') FROM updated WHERE state = 'retrying' HAVING count(*) > 0
        )
        SELECT (SELECT count(*) FROM updated) AS rescued, (SELECT count(*) FROM notified) AS notified
        """
    }

    /// Deletes up to `limit` jobs finished before the retention period (their attempts go too).
    static func purgeFinished(olderThanSeconds seconds: Int, limit: Int) -> PostgresQuery {
        """
        WITH doomed AS (
            SELECT id FROM jobs WHERE finished_at < now() - \(seconds) * interval '1 second'
            ORDER BY finished_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
        )
        DELETE FROM jobs j USING doomed WHERE j.id = doomed.id
        """
    }

    static func attempts(jobID: Int) -> PostgresQuery {
        "SELECT attempt, worker, started_at, finished_at, outcome, error FROM job_attempts WHERE job_id = \(jobID) ORDER BY attempt"
    }

    /// Running jobs with their workers (`inspect active`).
    static let active: PostgresQuery = """
        SELECT id, task, queue, worker, attempts, started_at, progress_current, progress_total
        FROM jobs WHERE state = 'running' ORDER BY started_at, id
        """

    /// Workers seen in the last hour (`inspect workers`).
    static let workers: PostgresQuery = """
        SELECT w.id, w.host, w.pid, array_to_string(w.queues, ',') AS queues, w.concurrency, w.started_at,
               w.last_heartbeat_at, w.stopped_at,
               (SELECT count(*) FROM jobs j WHERE j.state = 'running' AND j.worker = w.id)::int AS running
        FROM workers w
        WHERE w.stopped_at IS NULL OR w.stopped_at > now() - interval '1 hour'
        ORDER BY w.started_at
        """

    /// Jobs counted by queue and state (`inspect queues`).
    static let queueCounts: PostgresQuery = """
        SELECT queue, state, count(*)::int AS jobs FROM jobs GROUP BY queue, state ORDER BY queue, state
        """
}
