import Postgres

/// Named statements for migrations and health. Handlers never hold SQL; they call these.
public enum StorageQueries {
    static func takeMigrationLock(key: Int) -> PostgresQuery { "SELECT pg_advisory_lock(\(key))" }
    static func releaseMigrationLock(key: Int) -> PostgresQuery { "SELECT pg_advisory_unlock(\(key))" }

    static let createMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer PRIMARY KEY,
            name       text NOT NULL,
            checksum   text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """

    static let appliedMigrations: PostgresQuery = "SELECT version, checksum FROM schema_migrations ORDER BY version"

    static func recordMigration(version: Int, name: String, checksum: String) -> PostgresQuery {
        "INSERT INTO schema_migrations (version, name, checksum) VALUES (\(version), \(name), \(checksum))"
    }

    /// The most waiting jobs `health` counts exactly; beyond it, it says "at least".
    public static let queueDepthCap = 10_000

    /// One round trip that proves the database answers and says which schema it has, how many
    /// jobs wait (counted up to a cap, so a huge backlog never makes health slow), and how many
    /// workers heartbeat.
    public static let health: PostgresQuery = """
        SELECT (SELECT coalesce(max(version), 0) FROM schema_migrations) AS schema_version,
               (SELECT count(*) FROM (SELECT 1 FROM jobs WHERE state IN ('queued', 'retrying') AND run_at <= now()
                                      LIMIT \(queueDepthCap + 1)) waiting)::int AS queue_depth,
               (SELECT count(*) FROM workers WHERE stopped_at IS NULL
                                              AND last_heartbeat_at > now() - interval '30 seconds')::int AS live_workers
        """
}
