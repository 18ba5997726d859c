import Foundation
import Postgres
import Storage
import Testing
import TestSupport
import Synchronization
import Threads

@Suite("Migrations")
struct MigratorTests {
    /// A connection whose tables land in a schema of the test's own.
    static func isolatedConnection(schema: String) throws -> PostgresConnection {
        let db = try TestDatabase.connect()
        try db.simpleQuery("CREATE SCHEMA IF NOT EXISTS \(PostgresQuery.quoteIdentifier(schema)); SET search_path TO \(PostgresQuery.quoteIdentifier(schema))")
        return db
    }

    static let sample = [
        Migration(version: 1, name: "first", sql: "CREATE TABLE a (id int PRIMARY KEY);"),
        Migration(version: 2, name: "second", sql: "CREATE TABLE b (id int PRIMARY KEY); INSERT INTO b VALUES (1);"),
    ]

    @Test("applies in order, records each, and a second run does nothing")
    func appliesOnce() async throws {
        try await onThread {
            let db = try MigratorTests.isolatedConnection(schema: "mig_once_\(UInt32.random(in: 0...UInt32.max))")
            #expect(try Migrator(connection: db, migrations: MigratorTests.sample).migrate() == [1, 2])
            #expect(try Migrator(connection: db, migrations: MigratorTests.sample).migrate() == [])
            #expect(try Migrator(connection: db, migrations: MigratorTests.sample).currentVersion() == 2)
            #expect(try db.query("SELECT count(*)::int AS n FROM b").first?.decode(Int.self, "n") == 1)
        }
    }

    @Test("a failing migration rolls back whole and is not recorded")
    func failingMigration() async throws {
        try await onThread {
            let db = try MigratorTests.isolatedConnection(schema: "mig_fail_\(UInt32.random(in: 0...UInt32.max))")
            let broken = [
                MigratorTests.sample[0],
                Migration(version: 2, name: "broken", sql: "CREATE TABLE c (id int); SELECT * FROM no_such_table;"),
            ]
            #expect(throws: PostgresError.self) { try Migrator(connection: db, migrations: broken).migrate() }
            #expect(try Migrator(connection: db, migrations: broken).currentVersion() == 1)
            #expect(try db.query("SELECT to_regclass('c') IS NULL AS gone").first?.decode(Bool.self, "gone") == true)
        }
    }

    @Test("two migrators at once: both succeed, each migration applied exactly once")
    func concurrent() async throws {
        let schema = "mig_race_\(UInt32.random(in: 0...UInt32.max))"
        // The schema first: two concurrent CREATE SCHEMA IF NOT EXISTS can collide in Postgres itself.
        try MigratorTests.isolatedConnection(schema: schema).close()
        let results = Mutex<[Result<[Int], any Error>]>([])
        await onThread {
            let threads = (0..<2).map { _ in
                PosixThread(name: "migrate") {
                    let outcome = Result { try Migrator(connection: MigratorTests.isolatedConnection(schema: schema), migrations: MigratorTests.sample).migrate() }
                    results.withLock { $0.append(outcome) }
                }
            }
            threads.forEach { $0.join() }
        }
        let applied = try results.withLock { try $0.map { try $0.get() } }
        #expect(applied.flatMap { $0 }.sorted() == [1, 2])
    }

    @Test("an applied migration edited afterwards is refused")
    func editedAfterApplied() async throws {
        try await onThread {
            let db = try MigratorTests.isolatedConnection(schema: "mig_edit_\(UInt32.random(in: 0...UInt32.max))")
            try Migrator(connection: db, migrations: [MigratorTests.sample[0]]).migrate()
            var edited = MigratorTests.sample[0]
            edited.sql += " -- changed"
            #expect(throws: Migrator.Failure.self) { try Migrator(connection: db, migrations: [edited]).migrate() }
        }
    }

    @Test("Migration.all lists every file in Sources/Storage/Migrations, in order, with its SQL")
    func registryMatchesFiles() throws {
        let folder = Repository.root + "/Sources/Storage/Migrations"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.count == Migration.all.count)
        for (file, migration) in zip(files, Migration.all) {
            #expect(file == String(format: "%04d_%@.sql", migration.version, migration.name))
            #expect(try String(contentsOfFile: folder + "/" + file, encoding: .utf8) == migration.sql)
        }
        #expect(Migration.all.map(\.version) == Array(1...Migration.all.count))
    }
}
