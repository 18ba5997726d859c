import Postgres

/// Every statement on `schedules` and `schedule_runs`, by name. Slots are `timestamp` (a
/// wall-clock minute, no zone), bound and read as `YYYY-MM-DD HH:MM` text.
enum ScheduleQueries {
    static let runColumns = """
        r.schedule, to_char(r.slot, 'YYYY-MM-DD HH24:MI') AS slot, r.host, r.pid, r.job_id, r.state, r.reason,
        r.started_at, r.finished_at
        """

    /// Creates or updates a definition; keeps `paused` and the history.
    static func upsert(_ definition: ScheduleDefinition) -> PostgresQuery {
        """
        INSERT INTO schedules (name, cron, task, args, description)
        VALUES (\(definition.name), \(definition.cron), \(definition.task), \(PostgresJSON(text: definition.args.serialized)),
                \(definition.description))
        ON CONFLICT (name) DO UPDATE SET cron = excluded.cron, task = excluded.task, args = excluded.args,
            description = excluded.description, updated_at = now()
        WHERE (schedules.cron, schedules.task, schedules.args, schedules.description)
              IS DISTINCT FROM (excluded.cron, excluded.task, excluded.args, excluded.description)
        """
    }

    static func delete(_ name: String) -> PostgresQuery {
        "DELETE FROM schedules WHERE name = \(name)"
    }

    /// The schedules with their latest run that was not skipped and their last success; a
    /// `WHERE` and an `ORDER BY` follow.
    private static let listing = """
        SELECT s.name, s.cron, s.task, s.args, s.description, s.paused, s.runs,
               (SELECT max(finished_at) FROM schedule_runs WHERE schedule = s.name AND state = 'succeeded') AS last_success_at,
               \(runColumns)
        FROM schedules s
        LEFT JOIN LATERAL (SELECT * FROM schedule_runs WHERE schedule = s.name AND state <> 'skipped'
                           ORDER BY started_at DESC LIMIT 1) r ON true
        """

    /// Every schedule (or one), with its latest run that was not skipped and its last success.
    static func list(name: String?) -> PostgresQuery {
        "\(unsafeRaw: listing) WHERE \(name)::text IS NULL OR s.name = \(name) ORDER BY s.name"
    }

    /// Up to `limit` schedules after the name `after` (nil: from the first), by name.
    static func page(after: String?, limit: Int) -> PostgresQuery {
        "\(unsafeRaw: listing) WHERE \(after)::text IS NULL OR s.name > \(after) ORDER BY s.name LIMIT \(limit)"
    }

    static func setPaused(_ name: String, _ paused: Bool) -> PostgresQuery {
        "UPDATE schedules SET paused = \(paused), updated_at = now() WHERE name = \(name) RETURNING name"
    }

    /// Locks the schedule's row for the claim: two hosts claiming at once take turns here.
    static func lockForClaim(_ name: String) -> PostgresQuery {
        "SELECT name, cron, task, args, description, paused FROM schedules WHERE name = \(name) FOR UPDATE"
    }

    static func run(_ name: String, slot: String) -> PostgresQuery {
        "SELECT \(unsafeRaw: runColumns) FROM schedule_runs r WHERE r.schedule = \(name) AND r.slot = \(slot)::timestamp"
    }

    /// Runs still marked running, with their job's state and whether its worker heartbeats.
    static func runningRuns(_ name: String, aliveSeconds: Int) -> PostgresQuery {
        """
        SELECT \(unsafeRaw: runColumns), j.state AS job_state, j.finished_at AS job_finished_at, j.error AS job_error,
               coalesce(w.stopped_at IS NULL AND w.last_heartbeat_at > now() - \(aliveSeconds) * interval '1 second', false) AS alive,
               r.started_at > now() - \(aliveSeconds) * interval '1 second' AS recent
        FROM schedule_runs r
        LEFT JOIN jobs j ON j.id = r.job_id
        LEFT JOIN workers w ON w.id = j.worker
        WHERE r.schedule = \(name) AND r.state = 'running'
        """
    }

    static func insertRun(_ name: String, slot: String, host: String, pid: Int, state: String, reason: String?) -> PostgresQuery {
        """
        INSERT INTO schedule_runs (schedule, slot, host, pid, state, reason, finished_at)
        VALUES (\(name), \(slot)::timestamp, \(host), \(pid), \(state), \(reason), CASE WHEN \(state) = 'running' THEN NULL ELSE now() END)
        """
    }

    static func markStarted(_ name: String, slot: String) -> PostgresQuery {
        "UPDATE schedules SET runs = runs + 1, last_slot = \(slot)::timestamp, updated_at = now() WHERE name = \(name)"
    }

    static func attachJob(_ name: String, slot: String, jobID: Int) -> PostgresQuery {
        """
        WITH run AS (UPDATE schedule_runs SET job_id = \(jobID) WHERE schedule = \(name) AND slot = \(slot)::timestamp)
        UPDATE schedules SET last_job_id = \(jobID) WHERE name = \(name)
        """
    }

    static func finishRun(_ name: String, slot: String, state: String, reason: String?) -> PostgresQuery {
        """
        UPDATE schedule_runs SET state = \(state), reason = \(reason), finished_at = now()
        WHERE schedule = \(name) AND slot = \(slot)::timestamp AND state = 'running'
        """
    }

    static func recentRuns(_ name: String, limit: Int) -> PostgresQuery {
        "SELECT \(unsafeRaw: runColumns) FROM schedule_runs r WHERE r.schedule = \(name) ORDER BY r.started_at DESC LIMIT \(limit)"
    }
}
