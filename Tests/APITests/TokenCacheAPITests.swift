import AppSupport
import Foundation
import HTTPClient
import Postgres
import Testing
import TestSupport

/// The responder's bearer-token cache through nginx: repeated requests skip the lookup, a
/// revocation by another process is honoured as soon as its notification arrives, and the
/// once-a-minute `last_used_at` touch does not flush it.
@Suite("Bearer token cache")
struct TokenCacheAPITests {
    static func lookups(_ harness: APIDataHarness) throws -> (hits: Double, misses: Double) {
        let text = try PrometheusText(try harness.call(.get, "/metrics", authorized: false).response.bodyText)
        func value(_ result: String) -> Double {
            text.samples.first {
                $0.name == "weather_cache_lookups_total" && $0.labels["cache"] == "api_tokens" && $0.labels["result"] == result
            }?.value ?? -1
        }
        return (value("hit"), value("miss"))
    }

    @Test("cached while live; last_used_at touches keep it; TaskRunner token revoke ends it")
    func revocation() async throws {
        try await onThread {
            let harness = try APIDataHarness(syncSchedules: true)
            try eventually("a token is served from the cache", seconds: 30) {
                #expect(try harness.call(.get, "/api/schedules").status == 200)
                return try Self.lookups(harness).hits > 0
            }
            // Touching last_used_at (what authentication itself does once a minute) announces nothing.
            try harness.database.execute("UPDATE api_tokens SET last_used_at = now() - interval '1 hour'")
            let before = try Self.lookups(harness)
            for _ in 0..<3 { #expect(try harness.call(.get, "/api/schedules").status == 200) }
            let after = try Self.lookups(harness)
            #expect(after.hits >= before.hits + 3 && after.misses == before.misses)

            let revoke = try taskRunner(["token", "revoke", "api-data-tests"], databaseURL: harness.url)
            #expect(revoke.status == 0, "\(revoke.stderr)")
            try eventually("the revoked token is refused", seconds: 10) { try harness.call(.get, "/api/schedules").status == 401 }
            for _ in 0..<3 { #expect(try harness.call(.get, "/api/schedules").status == 401) }
        }
    }
}
