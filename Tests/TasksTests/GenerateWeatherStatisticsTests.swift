import AppSupport
import Foundation
import Jobs
import Postgres
import Tasks
import Testing
import TestSupport
import WeatherData

@Suite("generate_weather_statistics")
struct GenerateWeatherStatisticsTests {
    /// Searches on 2026-03-10 (UTC) and around it, with figures whose statistics are exact.
    static func handMade(_ db: PostgresConnection) throws {
        let at = DataFixture.utc
        // Paris: three searches that day, the first at midnight exactly, the last a microsecond before the next.
        try DataFixture.insert(db, city: "Paris", country: "FR", temperature: 10, humidity: 40, windSpeed: 1.5, at: at("2026-03-10 00:00:00"))
        try DataFixture.insert(db, city: "Paris", country: "FR", temperature: 12, humidity: 60, windSpeed: 2.5, at: at("2026-03-10 12:30:00"))
        try DataFixture.insert(
            db, city: "Paris", country: "FR", temperature: 17, humidity: 80, windSpeed: 5, at: at("2026-03-10 23:59:59.999999"))
        // The same name in another country is another place.
        try DataFixture.insert(db, city: "Paris", country: "US", temperature: -2.25, humidity: 90, windSpeed: 0, at: at("2026-03-10 06:00:00"))
        // No humidity or wind reported.
        try DataFixture.insert(db, city: "Oslo", country: "NO", temperature: -7.5, humidity: nil, windSpeed: nil, at: at("2026-03-10 09:00:00"))
        // Outside the day: a microsecond before it, and the next midnight.
        try DataFixture.insert(db, city: "Paris", country: "FR", temperature: 99, humidity: 1, windSpeed: 99, at: at("2026-03-09 23:59:59.999999"))
        try DataFixture.insert(db, city: "Paris", country: "FR", temperature: -99, humidity: 1, windSpeed: 99, at: at("2026-03-11 00:00:00"))
    }

    @Test("count and average/min/max per city and UTC day are exactly right")
    func exactFigures() async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            try Self.handMade(db)
            let job = try DataFixture.run("generate_weather_statistics", args: ["date": "2026-03-10"], url: url)
            #expect(job.state == .succeeded, "\(job.error ?? "")")
            #expect(job.result?["date"] == .string("2026-03-10"))
            #expect(job.result?["cities"] == .int(3))
            #expect(job.result?["searches"] == .int(5))
            #expect(job.result?["replaced"] == .int(0))

            let rows = try StatisticsStore.statistics(for: "2026-03-10", on: db)
            #expect(rows.map { "\($0.city)/\($0.country)" } == ["Oslo/NO", "Paris/FR", "Paris/US"])
            let paris = rows[1]
            #expect(paris.day == "2026-03-10")
            #expect(paris.searches == 3)
            #expect(paris.temperature == .init(average: 13, minimum: 10, maximum: 17))
            #expect(paris.humidity == .init(average: 60, minimum: 40, maximum: 80))
            #expect(paris.windSpeed == .init(average: 3, minimum: 1.5, maximum: 5))
            #expect(rows[2].searches == 1)
            #expect(rows[2].temperature == .init(average: -2.25, minimum: -2.25, maximum: -2.25))
            #expect(rows[2].humidity == .init(average: 90, minimum: 90, maximum: 90))
            #expect(rows[2].windSpeed == .init(average: 0, minimum: 0, maximum: 0))
            let oslo = rows[0]
            #expect(oslo.temperature == .init(average: -7.5, minimum: -7.5, maximum: -7.5))
            #expect(oslo.humidity == nil)
            #expect(oslo.windSpeed == nil)
            #expect(oslo.json["humidity"] == .null)
            #expect(paris.json["temperature"]?["avg"] == .double(13))
            // The days around it were not generated.
            #expect(try StatisticsStore.statistics(for: "2026-03-09", on: db).isEmpty)
            #expect(try StatisticsStore.statistics(for: "2026-03-11", on: db).isEmpty)
        }
    }

    @Test("running again replaces the day's rows, never duplicates them, and follows changed data")
    func rerunReplaces() async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            try Self.handMade(db)
            _ = try DataFixture.run("generate_weather_statistics", args: ["date": "2026-03-10"], url: url)
            // Another day's rows stay untouched by a run for this one.
            _ = try DataFixture.run("generate_weather_statistics", args: ["date": "2026-03-11"], url: url)
            let again = try DataFixture.run("generate_weather_statistics", args: ["date": "2026-03-10"], url: url)
            #expect(again.result?["replaced"] == .int(3))
            #expect(try DataFixture.integer(db, "SELECT count(*) FROM weather_daily_statistics WHERE day = '2026-03-10'") == 3)

            try DataFixture.insert(
                db, city: "Paris", country: "FR", temperature: 25, humidity: 20, windSpeed: 11, at: DataFixture.utc("2026-03-10 18:00:00"))
            try db.execute("DELETE FROM weather_searches WHERE city = 'Oslo'")
            let changed = try DataFixture.run("generate_weather_statistics", args: ["date": "2026-03-10"], url: url)
            #expect(changed.result?["cities"] == .int(2))
            let rows = try StatisticsStore.statistics(for: "2026-03-10", on: db)
            #expect(rows.map(\.city) == ["Paris", "Paris"])
            #expect(rows[0].searches == 4)
            #expect(rows[0].temperature == .init(average: 16, minimum: 10, maximum: 25))
            #expect(rows[0].humidity == .init(average: 50, minimum: 20, maximum: 80))
            #expect(rows[0].windSpeed == .init(average: 5, minimum: 1.5, maximum: 11))
            #expect(try StatisticsStore.statistics(for: "2026-03-11", on: db).map(\.searches) == [1])
        }
    }

    @Test("two runs for the same day at once leave one set of rows")
    func concurrentRuns() async throws {
        let url = try await onThread { () throws -> String in
            let (url, db) = try DataFixture.database()
            try Self.handMade(db)
            return url
        }
        let first = StartedThread { try DataFixture.run("generate_weather_statistics", args: ["date": "2026-03-10"], url: url) }
        let second = StartedThread { try DataFixture.run("generate_weather_statistics", args: ["date": "2026-03-10"], url: url) }
        let jobs = [try await first.value, try await second.value]
        #expect(jobs.allSatisfy { $0.state == .succeeded }, "\(jobs.map { $0.error ?? "" })")
        let count = try await onThread { () throws -> Int in
            let db = try PostgresConnection(conninfo: url, applicationName: "tests-data")
            return try DataFixture.integer(db, "SELECT count(*) FROM weather_daily_statistics")
        }
        #expect(count == 3)
    }

    @Test("without `date` it generates today, UTC")
    func defaultDate() async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            try DataFixture.insert(db, city: "Nowhere", temperature: 4, at: Date())
            let before = CalendarDay(utc: Date()).description
            let job = try DataFixture.run("generate_weather_statistics", url: url)
            let after = CalendarDay(utc: Date()).description
            #expect(job.state == .succeeded, "\(job.error ?? "")")
            guard case .string(let day)? = job.result?["date"] else {
                Issue.record("no date in \(String(describing: job.result))")
                return
            }
            #expect(day == before || day == after)
            // The search just made is in today's rows (unless midnight UTC passed in between).
            if before == after {
                #expect(try StatisticsStore.statistics(for: day, on: db).map(\.city) == ["Nowhere"])
            }
        }
    }

    @Test("a bad `date` fails permanently, naming it", arguments: [JSONValue.string("2026-02-30"), .string("tomorrow"), .int(20_260_310)])
    func badDate(date: JSONValue) async throws {
        try await onThread {
            let (url, _) = try DataFixture.database()
            let job = try DataFixture.run("generate_weather_statistics", args: ["date": date], url: url)
            #expect(job.state == .failed)
            #expect(job.error?.contains("date") == true, "\(job.error ?? "")")
        }
    }
}
