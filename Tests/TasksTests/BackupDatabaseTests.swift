import AppSupport
import Foundation
import Jobs
import Postgres
@testable import Tasks
import Testing
import TestSupport

/// `backup_database` with the real pg_dump and pg_restore, each test in a folder of its own.
@Suite struct BackupDatabaseTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("backup-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func registry(_ values: [String: String]) -> TaskRegistry {
        TaskRegistry([BackupDatabaseTask.definition(environment: Environment(values))])
    }

    static func names(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    /// pg_restore next to the pg_dump the task picks.
    static func pgRestore() throws -> String {
        let dump = try BackupDatabaseTask.locatePgDump(Environment(ProcessInfo.processInfo.environment))
        return URL(fileURLWithPath: dump).deletingLastPathComponent().appendingPathComponent("pg_restore").path
    }

    @Test func theDumpRestoresAndRotationKeepsTheNewest() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let old = ["weather-20200101T000000Z.dump", "weather-20200102T000000Z.dump", "weather-20200103T000000Z.dump"]
            let others = ["notes.txt", "weather-latest.dump", "weather-20200101T000000Z.dump.bak"]
            for name in old + others { try Data("old".utf8).write(to: URL(fileURLWithPath: folder + "/" + name)) }
            try FileManager.default.createDirectory(atPath: folder + "/weather-20200104T000000Z.dump", withIntermediateDirectories: false)

            let job = try Ops.run(
                "backup_database", args: ["keep": 2], registry: Self.registry(["BACKUP_DIR": folder, "DATABASE_URL": url]), databaseURL: url)
            #expect(job.state == .succeeded, "\(job.error ?? "")")
            let result = try #require(job.result)
            guard case .string(let file)? = result["file"], case .int(let bytes)? = result["bytes"] else {
                Issue.record("bad result \(result)")
                return
            }
            #expect(BackupDatabaseTask.isBackupName(file))
            #expect(file > "weather-2026")
            #expect(result["removed"] == .array([.string(old[0]), .string(old[1])]))
            #expect(
                try Self.names(in: folder)
                    == ([file, old[2], "weather-20200104T000000Z.dump"] + others).sorted(), "only the newest two backups remain")

            let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + file)
            #expect((attributes[.size] as? NSNumber)?.intValue == bytes)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let listing = try runCommand(try Self.pgRestore(), ["--list", folder + "/" + file])
            #expect(listing.status == 0, "\(listing.stderr)")
            #expect(listing.stdout.contains("TABLE public jobs"))
            #expect(listing.stdout.contains("TABLE DATA public weather_searches"))
        }
    }

    @Test func keepComesFromTheEnvironmentUnlessGiven() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            for day in 1...3 { try Data().write(to: URL(fileURLWithPath: folder + "/weather-2020010\(day)T000000Z.dump")) }
            let db = try PostgresConnection(conninfo: url)
            let one = BackupDatabaseTask.definition(environment: Environment(["BACKUP_DIR": folder, "DATABASE_URL": url, "BACKUP_KEEP": "1"]))
            let result = try Ops.call(one, args: [:], on: db)
            #expect(result["keep"] == .int(1))
            #expect(try Self.names(in: folder).count == 1)

            let broken = BackupDatabaseTask.definition(environment: Environment(["BACKUP_DIR": folder, "DATABASE_URL": url, "BACKUP_KEEP": "0"]))
            let error = #expect(throws: PermanentFailure.self) { try Ops.call(broken, args: [:], on: db) }
            #expect(error?.message.contains("BACKUP_KEEP") == true)
            let bad = #expect(throws: PermanentFailure.self) { try Ops.call(one, args: ["keep": 0], on: db) }
            #expect(bad?.message.contains("keep") == true)
        }
    }

    @Test func anUnsetBackupFolderFailsNamingIt() async throws {
        try await onThread {
            let url = try TestDatabase.url()
            let job = try Ops.run("backup_database", registry: Self.registry(["DATABASE_URL": url]), databaseURL: url)
            #expect(job.state == .failed)
            #expect(job.error?.contains("BACKUP_DIR is not set") == true, "\(job.error ?? "")")

            let db = try TestDatabase.connect()
            let noURL = BackupDatabaseTask.definition(environment: Environment(["BACKUP_DIR": "/tmp"]))
            let error = #expect(throws: PermanentFailure.self) { try Ops.call(noURL, args: [:], on: db) }
            #expect(error?.message.contains("DATABASE_URL") == true)
            let noDump = BackupDatabaseTask.definition(environment: Environment(["BACKUP_DIR": "/tmp", "DATABASE_URL": url, "PG_DUMP": "/nonexistent/pg_dump"]))
            let missing = #expect(throws: PermanentFailure.self) { try Ops.call(noDump, args: [:], on: db) }
            #expect(missing?.message.contains("PG_DUMP") == true)
        }
    }

    @Test func aFailingPgDumpIsAClearFailureAndLeavesNoFile() async throws {
        try await onThread {
            let url = try TestDatabase.url()
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let unreachable = "postgresql://weather:sekrit-pw@127.0.0.1:1/weather?connect_timeout=5"
            let job = try Ops.run(
                "backup_database", registry: Self.registry(["BACKUP_DIR": folder, "DATABASE_URL": unreachable]), databaseURL: url)
            #expect(job.state == .failed)
            let error = job.error ?? ""
            #expect(error.contains("pg_dump failed with status 1"), "\(error)")
            #expect(error.contains("127.0.0.1"), "\(error)")
            #expect(!error.contains("sekrit"))
            #expect(try Self.names(in: folder).isEmpty, "no partial file left")
        }
    }

    @Test func cancellingStopsPgDumpAndLeavesNoFile() async throws {
        let url = try await TestDatabase.fresh()
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A lock pg_dump must wait for (up to its 60 s lock timeout).
        let holder = try await onThread { () throws -> LockHolder in
            let holder = LockHolder(connection: try PostgresConnection(conninfo: url))
            try holder.connection.simpleQuery("BEGIN; LOCK TABLE weather_searches IN ACCESS EXCLUSIVE MODE")
            return holder
        }
        defer { holder.connection.close() }
        let finished = StartedThread {
            try Ops.run(
                "backup_database", registry: Self.registry(["BACKUP_DIR": folder, "DATABASE_URL": url]), databaseURL: url,
                heartbeat: .milliseconds(100))
        }
        try await onThread {
            let db = try PostgresConnection(conninfo: url)
            try eventually("pg_dump waiting for the lock") {
                try Ops.integer(
                    "SELECT count(*)::int FROM pg_stat_activity WHERE application_name = 'pg_dump' AND wait_event_type = 'Lock'", on: db) == 1
            }
            let id = try Ops.integer("SELECT id FROM jobs WHERE task = 'backup_database'", on: db)
            #expect(try JobQueue(registry: Self.registry([:])).cancel(id, on: db) == .stopRequested)
        }
        let job = try await finished.value
        #expect(job.state == .cancelled)
        #expect(try Self.names(in: folder).isEmpty, "the partial dump was removed")
        try await onThread {
            let db = try PostgresConnection(conninfo: url)
            try eventually("pg_dump gone") {
                try Ops.integer("SELECT count(*)::int FROM pg_stat_activity WHERE application_name = 'pg_dump'", on: db) == 0
            }
        }
    }

    @Test func thePasswordIsSplitOutOfEitherForm() throws {
        let uri = try ConnectionPassword.split("postgresql://weather:p%40ss%2Fw@/weather?host=/tmp/run&port=5433")
        #expect(uri.conninfo == "postgresql://weather@/weather?host=/tmp/run&port=5433")
        #expect(uri.password == "p@ss/w")
        let parameter = try ConnectionPassword.split("postgres://db.example:5432/app?sslmode=require&password=se%26cret&application_name=x")
        #expect(parameter.conninfo == "postgres://db.example:5432/app?sslmode=require&application_name=x")
        #expect(parameter.password == "se&cret")
        let onlyPassword = try ConnectionPassword.split("postgresql://:pw@localhost/app")
        #expect(onlyPassword.conninfo == "postgresql://localhost/app")
        #expect(onlyPassword.password == "pw")
        let none = try ConnectionPassword.split("postgresql://weather@localhost/app")
        #expect(none.conninfo == "postgresql://weather@localhost/app")
        #expect(none.password == nil)

        let keywords = try ConnectionPassword.split("host=/tmp/run  port = 5433 dbname='my db' password='it\\'s secret' user=w\\ x")
        #expect(keywords.conninfo == "host='/tmp/run' port='5433' dbname='my db' user='w x'")
        #expect(keywords.password == "it's secret")
        #expect(throws: ConnectionPassword.Unparsable.self) { try ConnectionPassword.split("host=x password='open") }
        #expect(throws: ConnectionPassword.Unparsable.self) { try ConnectionPassword.split("just words") }
        #expect(throws: ConnectionPassword.Unparsable.self) { try ConnectionPassword.split("postgresql://u:p%zz@h/db") }
    }

    @Test func namesFollowThePattern() {
        #expect(BackupDatabaseTask.fileName(for: Date(timeIntervalSince1970: 1_795_075_205)) == "weather-20261119T080005Z.dump")
        #expect(BackupDatabaseTask.isBackupName("weather-20261119T080005Z.dump"))
        for name in ["weather-20261118T060005Z.dump.partial", "weather-2026111T060005Z.dump", "weather-20261118X060005Z.dump",
                     ".weather-20261118T060005Z.dump", "weather-latest.dump"] {
            #expect(!BackupDatabaseTask.isBackupName(name), "\(name)")
        }
    }
}

/// A connection holding a lock, handed from the thread that took it to the one that closes it
/// (one thread at a time).
final class LockHolder: @unchecked Sendable {
    let connection: PostgresConnection
    init(connection: PostgresConnection) { self.connection = connection }
}
