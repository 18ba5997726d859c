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

    /// One round trip that proves the database answers and says which schema it has.
    public static let health: PostgresQuery = """
        SELECT (SELECT coalesce(max(version), 0) FROM schema_migrations) AS schema_version
        """
}
