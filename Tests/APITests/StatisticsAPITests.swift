import AppSupport
import Foundation
import Postgres
import Testing
import TestSupport

/// `GET /api/statistics` through nginx: one day's rows per city, today by default, bad dates.
@Suite("GET /api/statistics")
struct StatisticsAPITests {
    @Test("a day's statistics per city, with no token; today by default; an empty day is an empty list")
    func statistics() async throws {
        try await onThread {
            let harness = try APIDataHarness()
            try harness.database.execute(
                """
                INSERT INTO weather_daily_statistics (day, city, country, searches, temperature_avg, temperature_min, temperature_max,
                    humidity_avg, humidity_min, humidity_max, wind_speed_avg, wind_speed_min, wind_speed_max)
                VALUES ('2026-03-01', 'Paris', 'FR', 3, 10.5, 8, 13, 70, 60, 80, 3.5, 1, 6),
                       ('2026-03-01', 'Berlin', 'DE', 1, 4, 4, 4, NULL, NULL, NULL, NULL, NULL, NULL),
                       ('2026-03-02', 'Rome', 'IT', 2, 15, 14, 16, 50, 50, 50, 2, 2, 2),
                       ((now() AT TIME ZONE 'UTC')::date, 'Oslo', 'NO', 5, -3, -5, -1, 90, 85, 95, 7, 5, 9)
                """)
            let day = try harness.call(.get, "/api/statistics?date=2026-03-01", authorized: false)
            #expect(day.status == 200)
            #expect(day.json["date"] == "2026-03-01")
            guard case .array(let items)? = day.json["items"], items.count == 2 else {
                Issue.record("expected two rows: \(day.response.bodyText)")
                return
            }
            #expect(items[0]["city"] == "Berlin" && items[1]["city"] == "Paris")
            #expect(items[1]["searches"] == 3)
            #expect(items[1]["temperature"] == ["avg": 10.5, "min": 8, "max": 13])
            #expect(items[0]["humidity"] == .null)

            let today = try harness.call(.get, "/api/statistics", authorized: false)
            #expect(today.status == 200)
            let utcToday = try harness.database.query("SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS d").first!.decode(String.self, "d")
            #expect(today.json["date"] == .string(utcToday))
            if case .array(let todays)? = today.json["items"] {
                #expect(todays.map { $0["city"] } == ["Oslo"])
            } else {
                Issue.record("no items: \(today.response.bodyText)")
            }
            let none = try harness.call(.get, "/api/statistics?date=1999-12-31", authorized: false)
            #expect(none.status == 200)
            #expect(none.json == ["date": "1999-12-31", "items": [], "next_after": nil])
            let leap = try harness.call(.get, "/api/statistics?date=2024-02-29", authorized: false)
            #expect(leap.status == 200)
        }
    }

    @Test("pages in city and country order cover every row once; cities with commas; bad cursors")
    func pages() async throws {
        try await onThread {
            let harness = try APIDataHarness()
            var expected: [String] = []
            for (index, city) in ["Aachen", "Washington, D.C.", "Zurich", "Berlin", "Paris", "Lyon", "Oslo"].enumerated() {
                for country in ["", "FR", "US"] {
                    try harness.database.execute(
                        """
                        INSERT INTO weather_daily_statistics (day, city, country, searches, temperature_avg, temperature_min, temperature_max)
                        VALUES ('2026-04-01', \(city), \(country), \(index + 1), 1, 0, 2)
                        """)
                    expected.append("\(city)|\(country)")
                }
            }
            let collation = try harness.database.query(
                "SELECT city || '|' || country AS k FROM weather_daily_statistics WHERE day = '2026-04-01' ORDER BY city, country"
            ).map { try $0.decode(String.self, "k") }
            var seen: [String] = []
            var after: String?
            var pages = 0
            repeat {
                var path = "/api/statistics?date=2026-04-01&limit=4"
                if let after { path += "&after=" + (after.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
                let answer = try harness.call(.get, path, authorized: false)
                #expect(answer.status == 200, "\(answer.response.bodyText)")
                guard case .array(let items)? = answer.json["items"] else { break }
                #expect(items.count <= 4)
                for item in items {
                    if case .string(let city)? = item["city"], case .string(let country)? = item["country"] { seen.append("\(city)|\(country)") }
                }
                if case .string(let next)? = answer.json["next_after"] { after = next } else { after = nil }
                pages += 1
            } while after != nil && pages < 20
            #expect(seen == collation, "every row once, in the database's order")
            #expect(Set(seen) == Set(expected) && seen.count == 21)
            #expect(pages == 6)
            for bad in ["after=Paris", "after=%2CFR", "after=", "limit=0", "limit=101", "limit="] {
                let answer = try harness.call(.get, "/api/statistics?date=2026-04-01&" + bad, authorized: false)
                #expect(answer.status == 400, "\(bad)")
                #expect(answer.message.hasPrefix(bad.hasPrefix("after") ? "after:" : "limit:"), "\(bad): \(answer.message)")
            }
        }
    }

    @Test("a bad date: 400 naming date")
    func badDate() async throws {
        try await onThread {
            let harness = try APIDataHarness()
            for text in ["2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "26-03-01", "2026-3-1", "today", "", "2026-03-01T00:00:00Z", "0000-01-01"] {
                let answer = try harness.call(.get, "/api/statistics?date=\(text)", authorized: false)
                #expect(answer.status == 400, "\(text)")
                #expect(answer.message.hasPrefix("date:"), "\(text): \(answer.message)")
            }
        }
    }
}
