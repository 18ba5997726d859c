-- bench/queue ceiling (b): one transaction inserting 100 runnable jobs with one notification,
-- the shape of JobQueries.insertBatch without its JSON input and unique-key handling.
BEGIN;
INSERT INTO jobs (task, args, queue, max_attempts, timeout_seconds)
SELECT 'test_task', '{}', 'default', 3, 300 FROM generate_series(1, 100);
SELECT pg_notify('weather_jobs', '');
COMMIT;
