-- 0002: the job queue, the history of every attempt, and the workers that run them.
-- The state machine is written down in docs/job-states.md.

CREATE TABLE jobs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task             text        NOT NULL CHECK (task <> ''),
    args             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    queue            text        NOT NULL DEFAULT 'default' CHECK (queue <> ''),
    priority         integer     NOT NULL DEFAULT 0,
    state            text        NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled')),
    run_at           timestamptz NOT NULL DEFAULT now(),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts     integer     NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 100),
    timeout_seconds  integer     CHECK (timeout_seconds > 0),
    unique_key       text,
    progress_current integer,
    progress_total   integer,
    progress_message text,
    result           jsonb,
    error            text,
    worker           text,
    cancel_requested boolean     NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    CHECK ((state IN ('succeeded', 'failed', 'cancelled')) = (finished_at IS NOT NULL))
);

COMMENT ON TABLE jobs IS 'The queue: one row per job, from enqueue to its final state. Finished rows are purged after the retention period.';
COMMENT ON COLUMN jobs.task IS 'Registered task name (TaskRunner tasks).';
COMMENT ON COLUMN jobs.args IS 'Task arguments, a JSON object.';
COMMENT ON COLUMN jobs.queue IS 'Queue name; a daemon drains the queues given by --queues.';
COMMENT ON COLUMN jobs.priority IS 'Higher runs first; default 0.';
COMMENT ON COLUMN jobs.state IS 'queued, running, retrying, succeeded, failed, cancelled (docs/job-states.md).';
COMMENT ON COLUMN jobs.run_at IS 'Earliest time the job may start: now, a delay, or the next retry.';
COMMENT ON COLUMN jobs.attempts IS 'Attempts started so far (a rescued or timed-out attempt counts; one handed back at shutdown does not).';
COMMENT ON COLUMN jobs.max_attempts IS 'After this many failed attempts the job is failed.';
COMMENT ON COLUMN jobs.timeout_seconds IS 'Per-attempt time limit; NULL uses the task''s default.';
COMMENT ON COLUMN jobs.unique_key IS 'While a job with this key is queued, retrying or running, enqueueing the key returns that job.';
COMMENT ON COLUMN jobs.progress_current IS 'Progress reported by the task: steps done.';
COMMENT ON COLUMN jobs.progress_total IS 'Progress reported by the task: steps in all.';
COMMENT ON COLUMN jobs.progress_message IS 'A short progress message from the task.';
COMMENT ON COLUMN jobs.result IS 'The task''s JSON result, once succeeded.';
COMMENT ON COLUMN jobs.error IS 'The last attempt''s error.';
COMMENT ON COLUMN jobs.worker IS 'The worker running (or that last ran) the job: host:pid:nonce.';
COMMENT ON COLUMN jobs.cancel_requested IS 'Set by cancel on a running job; the worker stops it at the task''s next checkpoint.';
COMMENT ON COLUMN jobs.started_at IS 'When the current or last attempt started.';
COMMENT ON COLUMN jobs.finished_at IS 'When the job reached succeeded, failed or cancelled.';

-- The claim: waiting jobs in queue order. A partial index keeps it small; only waiting rows.
CREATE INDEX jobs_claim_idx ON jobs (queue, priority DESC, run_at, id) WHERE state IN ('queued', 'retrying');
-- Unique keys hold only while the job is not finished.
CREATE UNIQUE INDEX jobs_unique_key_idx ON jobs (unique_key)
    WHERE unique_key IS NOT NULL AND state IN ('queued', 'retrying', 'running');
-- Rescue and inspect: running jobs by worker.
CREATE INDEX jobs_running_idx ON jobs (worker) WHERE state = 'running';
-- Retention purge: finished jobs by age.
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;
-- No index on state or task for listings: every state change and insert would pay for it.
-- Listings come with the API, which adds the indexes its queries need.

-- A hot, churning table: vacuum it early and often so dead rows never pile up.
ALTER TABLE jobs SET (
    autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.02,
    autovacuum_vacuum_cost_delay = 0,
    fillfactor = 85
);

CREATE TABLE job_attempts (
    job_id      bigint      NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt     integer     NOT NULL CHECK (attempt >= 1),
    worker      text,
    started_at  timestamptz,
    finished_at timestamptz NOT NULL DEFAULT now(),
    outcome     text        NOT NULL
                CHECK (outcome IN ('succeeded', 'failed', 'retrying', 'cancelled', 'timed_out', 'lost')),
    error       text,
    PRIMARY KEY (job_id, attempt)
);

COMMENT ON TABLE job_attempts IS 'The history of every finished attempt of every job: when, which worker, how it ended, its error.';
COMMENT ON COLUMN job_attempts.outcome IS 'succeeded; failed (final); retrying (failed, will run again); cancelled; timed_out; lost (worker stopped heartbeating).';

ALTER TABLE job_attempts SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);

CREATE TABLE workers (
    id                text PRIMARY KEY,
    host              text        NOT NULL,
    pid               integer     NOT NULL,
    queues            text[]      NOT NULL,
    concurrency       integer     NOT NULL CHECK (concurrency >= 1),
    started_at        timestamptz NOT NULL DEFAULT now(),
    last_heartbeat_at timestamptz NOT NULL DEFAULT now(),
    stopped_at        timestamptz
);

COMMENT ON TABLE workers IS 'TaskRunner daemons: one row per daemon process, heartbeating while it runs.';
COMMENT ON COLUMN workers.id IS 'host:pid:nonce, also written into jobs.worker.';
COMMENT ON COLUMN workers.last_heartbeat_at IS 'Refreshed every few seconds; a worker silent past the rescue interval is presumed dead and its jobs rescued.';
COMMENT ON COLUMN workers.stopped_at IS 'Set when the daemon stopped cleanly.';
