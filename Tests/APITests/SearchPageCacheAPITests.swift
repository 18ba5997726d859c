import AppSupport
import Foundation
import HTTPClient
import Postgres
import Testing
import TestSupport

/// The page cache of `GET /api/searches` through nginx: it serves repeated pages, and never
/// keeps a page past a change: one made by another process (heard through NOTIFY), one made by
/// the responder itself (read at once), or one made while its listener was away.
@Suite("GET /api/searches page cache")
struct SearchPageCacheAPITests {
    /// Adds one search for `city` straight into the table, as another process would.
    static func insertSearch(_ city: String, on database: PostgresConnection) throws -> Int {
        try database.query("INSERT INTO weather_searches (city, country, temperature) VALUES (\(city), 'FR', 12.5) RETURNING id")
            .first!.decode(Int.self, "id")
    }

    /// The cache's lookups so far, from `/metrics`.
    static func lookups(_ harness: APIDataHarness) throws -> (hits: Double, misses: Double) {
        let answer = try harness.call(.get, "/metrics", authorized: false)
        let text = try PrometheusText(answer.response.bodyText)
        func value(_ result: String) -> Double {
            text.samples.first {
                $0.name == "weather_cache_lookups_total" && $0.labels["cache"] == "search_pages" && $0.labels["result"] == result
            }?.value ?? -1
        }
        return (value("hit"), value("miss"))
    }

    @Test("a repeated page comes from the cache; a row added or deleted by another process shows up")
    func followsOtherWriters() async throws {
        try await onThread {
            let harness = try APIDataHarness()
            let first = try Self.insertSearch("Lyon", on: harness.database)
            // The listener may still be connecting: wait until a page is served from the cache.
            try eventually("the cache serves a repeated page", seconds: 30) {
                _ = try harness.call(.get, "/api/searches?limit=5", authorized: false)
                return try Self.lookups(harness).hits > 0
            }
            let before = try Self.lookups(harness)
            for _ in 0..<3 {
                #expect(APIDataHarness.ids(try harness.call(.get, "/api/searches?limit=5", authorized: false).json) == [first])
            }
            let after = try Self.lookups(harness)
            #expect(after.hits >= before.hits + 3)

            let second = try Self.insertSearch("Nice", on: harness.database)
            try eventually("the new search is listed", seconds: 10) {
                APIDataHarness.ids(try harness.call(.get, "/api/searches?limit=5", authorized: false).json) == [second, first]
            }
            try harness.database.execute("DELETE FROM weather_searches WHERE id = \(second)")
            try eventually("the deleted search is gone", seconds: 10) {
                APIDataHarness.ids(try harness.call(.get, "/api/searches?limit=5", authorized: false).json) == [first]
            }
            // Other pages and filters are cached apart.
            #expect(APIDataHarness.ids(try harness.call(.get, "/api/searches?city=nice", authorized: false).json) == [])
            #expect(APIDataHarness.ids(try harness.call(.get, "/api/searches?city=lyon", authorized: false).json) == [first])
        }
    }

    @Test("a search stored by GET /api/weather is listed by the very next request")
    func readsOwnWrites() async throws {
        try await onThread {
            let harness = try APIDataHarness(extraEnvironment: try WeatherAPITests.environment(extra: ["FCGI_THREADS": "1"]))
            try eventually("the cache serves a repeated page", seconds: 30) {
                _ = try harness.call(.get, "/api/searches", authorized: false)
                return try Self.lookups(harness).hits > 0
            }
            for round in 1...3 {
                #expect(APIDataHarness.ids(try harness.call(.get, "/api/searches", authorized: false).json).count == round - 1)
                let stored = try harness.call(.get, "/api/weather?city=Paris")
                #expect(stored.status == 200, "\(stored.response.bodyText)")
                let listed = APIDataHarness.ids(try harness.call(.get, "/api/searches", authorized: false).json)
                #expect(listed.count == round && JSONValue.int(listed.first ?? 0) == stored.json["id"], "round \(round): \(listed)")
            }
        }
    }

    @Test("API_SEARCH_CACHE_PAGES=0 turns the cache off: every page is read from the database")
    func off() async throws {
        try await onThread {
            let harness = try APIDataHarness(extraEnvironment: ["API_SEARCH_CACHE_PAGES": "0"])
            let first = try Self.insertSearch("Lyon", on: harness.database)
            for _ in 0..<5 {
                #expect(APIDataHarness.ids(try harness.call(.get, "/api/searches", authorized: false).json) == [first])
            }
            #expect(try Self.lookups(harness).hits == 0)
        }
    }

    @Test("a change made while the listener is away shows up once it is back")
    func listenerLoss() async throws {
        try await onThread {
            let harness = try APIDataHarness()
            let first = try Self.insertSearch("Lyon", on: harness.database)
            try eventually("the cache serves a repeated page", seconds: 30) {
                _ = try harness.call(.get, "/api/searches", authorized: false)
                return try Self.lookups(harness).hits > 0
            }
            let listener = try harness.database.query(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'fcgiapp-waiter' AND datname = current_database()"
            ).first?.decode(Int32.self, "pid")
            guard let listener else {
                Issue.record("no listener connection")
                return
            }
            try harness.database.execute("SELECT pg_terminate_backend(\(listener))")
            try eventually("the listener's backend is gone", seconds: 10) {
                try harness.database.query("SELECT 1 AS one FROM pg_stat_activity WHERE pid = \(listener)").isEmpty
            }
            let second = try Self.insertSearch("Nice", on: harness.database)
            try eventually("the search added while the listener was away is listed", seconds: 20) {
                APIDataHarness.ids(try harness.call(.get, "/api/searches", authorized: false).json) == [second, first]
            }
            // And the cache is serving again afterwards.
            let before = try Self.lookups(harness)
            try eventually("the cache serves again", seconds: 20) {
                _ = try harness.call(.get, "/api/searches", authorized: false)
                return try Self.lookups(harness).hits > before.hits
            }
        }
    }
}
