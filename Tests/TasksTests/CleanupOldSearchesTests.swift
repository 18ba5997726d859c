import AppSupport
import Foundation
import Jobs
import Postgres
import Tasks
import Testing
import TestSupport

@Suite("cleanup_old_searches")
struct CleanupOldSearchesTests {
    static let day: TimeInterval = 86_400

    @Test("deletes only searches older than `days` and reports how many went")
    func onlyOldRows() async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            let now = Date()
            for age in [40.0, 40, 35, 31, 31, 30.1, 90] { try DataFixture.insert(db, city: "Old", at: now - age * Self.day) }
            for age in [29.9, 29, 10, 0.01] { try DataFixture.insert(db, city: "Young", at: now - age * Self.day) }
            let job = try DataFixture.run("cleanup_old_searches", args: ["days": 30], url: url)
            #expect(job.state == .succeeded, "\(job.error ?? "")")
            #expect(job.result?["deleted"] == .int(7))
            #expect(job.result?["days"] == .int(30))
            #expect(job.progressCurrent == 7)
            #expect(try DataFixture.integer(db, "SELECT count(*) FROM weather_searches WHERE city = 'Old'") == 0)
            #expect(try DataFixture.integer(db, "SELECT count(*) FROM weather_searches WHERE city = 'Young'") == 4)
            // Nothing left to do: a second run deletes nothing.
            let again = try DataFixture.run("cleanup_old_searches", args: ["days": 30], url: url)
            #expect(again.result?["deleted"] == .int(0))
        }
    }

    @Test("without `days` the age is 30 days")
    func defaultDays() async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            try DataFixture.insert(db, city: "Old", at: Date() - 31 * Self.day)
            try DataFixture.insert(db, city: "Young", at: Date() - 29 * Self.day)
            let job = try DataFixture.run("cleanup_old_searches", url: url)
            #expect(job.result?["deleted"] == .int(1))
            #expect(job.result?["days"] == .int(30))
            #expect(try DataFixture.integer(db, "SELECT count(*) FROM weather_searches") == 1)
        }
    }

    @Test("many small batches, rows with the same time across a batch boundary included, delete every old row once")
    func batches() async throws {
        try await onThread {
            let (_, db) = try DataFixture.database()
            let old = Date() - 45 * Self.day
            try db.execute(
                """
                INSERT INTO weather_searches (city, country, temperature, searched_at)
                SELECT 'Batchville', 'ZZ', g, \(old) + (g / 4) * interval '1 second' FROM generate_series(1, 103) g
                """)
            try DataFixture.insert(db, city: "Young", at: Date())
            var reports: [Int] = []
            let context = DataFixture.context("cleanup_old_searches", args: ["days": 30], on: db) { current, _, _ in reports.append(current) }
            let result = try CleanupOldSearchesTask.run(context, batchSize: 10)
            #expect(result["deleted"] == .int(103))
            #expect(result["batches"] == .int(11))
            #expect(reports == [0] + Array(stride(from: 10, through: 100, by: 10)) + [103])
            #expect(try DataFixture.integer(db, "SELECT count(*) FROM weather_searches") == 1)
        }
    }

    @Test("rows another transaction holds are skipped, never waited for, and go in a later run")
    func lockedRowsSkipped() async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            var ids: [Int] = []
            for index in 0..<6 { ids.append(try DataFixture.insert(db, city: "Old\(index)", at: Date() - 60 * Self.day)) }
            let holder = try PostgresConnection(conninfo: url, applicationName: "tests-holder")
            try holder.simpleQuery("BEGIN")
            try holder.execute("SELECT id FROM weather_searches WHERE id = \(ids[2]) FOR UPDATE")
            // New searches go in meanwhile, unhindered by the held lock or the cleanup.
            let context = DataFixture.context("cleanup_old_searches", args: ["days": 30], on: db)
            let result = try CleanupOldSearchesTask.run(context, batchSize: 2)
            #expect(result["deleted"] == .int(5))
            try DataFixture.insert(db, city: "New", at: Date())
            try holder.simpleQuery("COMMIT")
            let later = try CleanupOldSearchesTask.run(DataFixture.context("cleanup_old_searches", args: ["days": 30], on: db), batchSize: 2)
            #expect(later["deleted"] == .int(1))
            #expect(try DataFixture.integer(db, "SELECT count(*) FROM weather_searches") == 1)
        }
    }

    @Test("a bad `days` fails permanently, naming it", arguments: [JSONValue.int(0), .int(-3), .string("30"), .double(1.5), .int(100_000)])
    func badDays(days: JSONValue) async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            try DataFixture.insert(db, city: "Old", at: Date() - 400 * Self.day)
            let job = try DataFixture.run("cleanup_old_searches", args: ["days": days], url: url)
            #expect(job.state == .failed)
            #expect(job.error?.contains("days") == true, "\(job.error ?? "")")
            do {
                _ = try CleanupOldSearchesTask.run(DataFixture.context("cleanup_old_searches", args: ["days": days], on: db))
                Issue.record("days \(days) was accepted")
            } catch {
                #expect(error is PermanentFailure)
            }
            #expect(try DataFixture.integer(db, "SELECT count(*) FROM weather_searches") == 1)
        }
    }

    @Test("a cancel between batches stops the cleanup with what went so far committed")
    func cancelBetweenBatches() async throws {
        try await onThread {
            let (_, db) = try DataFixture.database()
            try db.execute(
                """
                INSERT INTO weather_searches (city, country, temperature, searched_at)
                SELECT 'Old', 'ZZ', g, now() - interval '40 days' + g * interval '1 second' FROM generate_series(1, 50) g
                """)
            let context = DataFixture.context("cleanup_old_searches", args: [:], on: db) { current, _, token in
                if current >= 20 { token.stop(.cancelled) }
            }
            #expect(throws: JobStopped.self) { try CleanupOldSearchesTask.run(context, batchSize: 10) }
            #expect(try DataFixture.integer(db, "SELECT count(*) FROM weather_searches") == 30)
        }
    }
}
