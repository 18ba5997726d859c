-- bench/queue ceiling (a): claim up to 10 runnable jobs and complete them, the shape of
-- JobQueries.claim and JobQueries.complete without their extras (the attempt history insert,
-- the done notification, the JSON document of outcomes). Each statement is its own transaction.
WITH claimed AS (
    UPDATE jobs
    SET state = 'running', attempts = attempts + 1, worker = 'pgbench', started_at = now()
    WHERE id IN (
        SELECT id FROM jobs
        WHERE state IN ('queued', 'retrying') AND queue = 'default' AND run_at <= now()
        ORDER BY priority DESC, run_at, id
        LIMIT 10
        FOR UPDATE SKIP LOCKED)
    RETURNING id, task, args, attempts, max_attempts, timeout_seconds, priority, run_at, cancel_requested
)
SELECT coalesce(array_agg(id), '{}') AS ids FROM claimed
\gset
UPDATE jobs SET state = 'succeeded', result = '{}', finished_at = now()
WHERE id = ANY(:ids::bigint[]) AND state = 'running' AND worker = 'pgbench';
