import Foundation
import Postgres
import Storage

/// The Postgres the tests share: `TEST_DATABASE_URL`, set by scripts/test. Tests isolate their
/// data with temporary tables or names of their own.
public enum TestDatabase {
    /// The connection string; a clear failure when the tests were not started by scripts/test.
    public static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !url.isEmpty else {
            throw HarnessError("TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts a Postgres for them")
        }
        return url
    }

    private static let migration: Result<Void, any Error> = Result {
        let connection = try PostgresConnection(conninfo: url(), applicationName: "tests-migrate")
        try Migrator(connection: connection).migrate()
    }

    /// Applies the product's migrations to the test database (once per test process).
    public static func migrate() throws {
        try migration.get()
    }

    /// A new connection to the migrated test database.
    public static func migrated(applicationName: String = "tests") throws -> PostgresConnection {
        try migrate()
        return try connect(applicationName: applicationName)
    }

    /// A new connection to the test database.
    public static func connect(applicationName: String = "tests") throws -> PostgresConnection {
        try PostgresConnection(conninfo: url(), applicationName: applicationName)
    }
}
