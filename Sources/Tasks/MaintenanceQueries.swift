import Postgres

/// Named statements of `database_maintenance`.
enum MaintenanceQueries {
    /// `VACUUM (ANALYZE, SKIP_LOCKED)` of one table, as text for `simpleQuery`: VACUUM cannot run
    /// inside a transaction block; it can be prepared (Postgres 15 runs a lone prepared VACUUM),
    /// but it binds nothing and runs once per table, so preparing it would only fill the worker
    /// connection's statement cache with twelve statements never used again. `table` comes from
    /// `DatabaseMaintenanceTask.tables` (a constant list) and is quoted all the same. A table
    /// whose lock is taken (autovacuum, a migration) is skipped rather than waited for.
    static func vacuum(table: String) -> String {
        "VACUUM (ANALYZE, SKIP_LOCKED) " + PostgresQuery.quoteIdentifier(table)
    }

    /// Size and row statistics of the tables named (those that exist, by the search path).
    static func tableStatistics(_ tables: PostgresTextArray) -> PostgresQuery {
        """
        SELECT t.name AS table_name, pg_total_relation_size(c.oid)::bigint AS bytes,
               coalesce(s.n_live_tup, 0)::bigint AS live_rows, coalesce(s.n_dead_tup, 0)::bigint AS dead_rows,
               s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze
        FROM unnest(\(tables)::text[]) AS t(name)
        JOIN pg_class AS c ON c.oid = to_regclass(quote_ident(t.name))
        LEFT JOIN pg_stat_user_tables AS s ON s.relid = c.oid
        """
    }

    /// Deletes up to `limit` schedule runs finished more than `seconds` ago, never the latest run
    /// of a schedule (its last state stays visible). Returns how many went.
    static func purgeScheduleRuns(olderThanSeconds seconds: Int, limit: Int) -> PostgresQuery {
        """
        WITH doomed AS (
            SELECT r.schedule, r.slot FROM schedule_runs AS r
            WHERE r.finished_at < now() - \(seconds) * interval '1 second'
              AND r.slot < (SELECT max(l.slot) FROM schedule_runs AS l WHERE l.schedule = r.schedule)
            ORDER BY r.finished_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
        )
        DELETE FROM schedule_runs AS r USING doomed
        WHERE r.schedule = doomed.schedule AND r.slot = doomed.slot
        """
    }
}
