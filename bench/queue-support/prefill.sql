-- bench/queue: an empty queue, then :n runnable no-op jobs, vacuumed and analysed.
TRUNCATE jobs, job_attempts;
INSERT INTO jobs (task, args, queue, max_attempts, timeout_seconds)
SELECT 'test_task', '{}', 'default', 3, 300 FROM generate_series(1, :n);
VACUUM ANALYZE jobs;
