import AppSupport
import Postgres
import Testing
import TestSupport

/// `GET /api/alerts` through nginx: newest first, cursor pages, bad parameters.
@Suite("GET /api/alerts")
struct AlertAPITests {
    @Test("pages cover every alert once, newest first, with no token")
    func pagination() async throws {
        try await onThread {
            let harness = try APIDataHarness()
            let empty = try harness.call(.get, "/api/alerts", authorized: false)
            #expect(empty.status == 200)
            #expect(empty.json == ["items": [], "next_before": nil])
            try harness.database.execute(
                """
                INSERT INTO weather_alerts (city, country, kind, value, threshold, message, observed_at)
                SELECT 'Hottown', 'ES', (ARRAY['heat', 'cold', 'wind', 'thunderstorm'])[1 + n % 4], 40 + n, 35,
                    'alert ' || n, now() - n * interval '1 minute'
                FROM generate_series(1, 45) AS n
                """)
            let expected = try harness.database.query("SELECT id FROM weather_alerts ORDER BY id DESC").map { try $0.decode(Int.self, "id") }
            for limit in [1, 20, 44, 45, 100] {
                let walked = try harness.walk("/api/alerts", limit: limit)
                #expect(walked.ids == expected, "limit \(limit)")
                #expect(walked.pages == (45 + limit - 1) / limit, "limit \(limit)")
            }
            let first = try harness.call(.get, "/api/alerts", authorized: false)
            #expect(APIDataHarness.ids(first.json).count == 20)
            guard case .array(let items)? = first.json["items"], let item = items.first else {
                Issue.record("no items: \(first.response.bodyText)")
                return
            }
            #expect(item["city"] == "Hottown")
            #expect(item["kind"] != nil && item["message"] != nil && item["observed_at"] != nil && item["created_at"] != nil)
        }
    }

    @Test("bad limit or before: 400 naming the field")
    func badParameters() async throws {
        try await onThread {
            let harness = try APIDataHarness()
            for (query, field) in [("limit=0", "limit"), ("limit=101", "limit"), ("limit=ten", "limit"), ("before=0", "before"), ("before=a", "before")] {
                let answer = try harness.call(.get, "/api/alerts?\(query)", authorized: false)
                #expect(answer.status == 400, "\(query)")
                #expect(answer.message.hasPrefix("\(field):"), "\(query): \(answer.message)")
            }
        }
    }
}
