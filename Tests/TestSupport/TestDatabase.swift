import Foundation
import Postgres
import Storage

/// The Postgres the tests share: `TEST_DATABASE_URL`, set by scripts/test. Tests isolate their
/// data with temporary tables or names of their own.
public enum TestDatabase {
    /// The connection string of the migrated test database; a clear failure when the tests were
    /// not started by scripts/test. Tests run in any order, so every way in migrates first.
    public static func url() throws -> String {
        try migrate()
        return try unmigratedURL()
    }

    private static func unmigratedURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !url.isEmpty else {
            throw HarnessError("TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts a Postgres for them")
        }
        return url
    }

    private static let migration: Result<Void, any Error> = Result {
        let connection = try PostgresConnection(conninfo: unmigratedURL(), applicationName: "tests-migrate")
        try Migrator(connection: connection).migrate()
    }

    /// Applies the product's migrations to the test database (once per test process).
    private static func migrate() throws {
        try migration.get()
    }

    /// A new connection to the (migrated) test database.
    public static func connect(applicationName: String = "tests") throws -> PostgresConnection {
        try PostgresConnection(conninfo: url(), applicationName: applicationName)
    }
}

extension TestDatabase {
    private static let freshLock = NSLock()
    nonisolated(unsafe) private static var template: String?
    nonisolated(unsafe) private static var freshCount = 0

    /// The URL of a new database of its own, already migrated (copied from a template migrated
    /// once per test process): for tests of tasks that work on whole tables (cleanup, statistics,
    /// alerts), which must not see other tests' rows.
    public static func fresh() throws -> String {
        let base = try url()
        freshLock.lock()
        defer { freshLock.unlock() }
        let admin = try PostgresConnection(conninfo: base, applicationName: "tests-fresh")
        defer { admin.close() }
        let pid = ProcessInfo.processInfo.processIdentifier
        if template == nil {
            let name = "tmpl_\(pid)"
            try admin.simpleQuery("DROP DATABASE IF EXISTS \(name)")
            try admin.simpleQuery("CREATE DATABASE \(name)")
            let connection = try PostgresConnection(conninfo: withDatabase(base, name), applicationName: "tests-template")
            _ = try Migrator(connection: connection).migrate()
            connection.close()
            template = name
        }
        freshCount += 1
        let name = "test_\(pid)_\(freshCount)"
        try admin.simpleQuery("DROP DATABASE IF EXISTS \(name)")
        try admin.simpleQuery("CREATE DATABASE \(name) TEMPLATE \(template!) STRATEGY FILE_COPY")
        return withDatabase(base, name)
    }

    /// `fresh()` from async code: the copy waits on a lock shared by every test and on
    /// `CREATE DATABASE`, so it runs on a thread of its own, never on the cooperative pool that
    /// the other tests (and their detached work) need to make progress.
    public static func fresh() async throws -> String {
        try await onThread { try fresh() }
    }

    /// `url` with its database replaced by `name` (a query parameter overrides the URI's path).
    public static func withDatabase(_ url: String, _ name: String) -> String {
        url + (url.contains("?") ? "&" : "?") + "dbname=\(name)"
    }
}
