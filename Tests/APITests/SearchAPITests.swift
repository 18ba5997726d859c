import AppSupport
import Postgres
import Testing
import TestSupport

/// `GET /api/searches` through nginx: newest first, city filter, cursor pages, bad parameters.
@Suite("GET /api/searches")
struct SearchAPITests {
    /// 57 searches over three cities; many share a `searched_at`, so the id must break ties.
    static func seed(_ database: PostgresConnection) throws {
        try database.execute(
            """
            INSERT INTO weather_searches (city, country, temperature, searched_at)
            SELECT (ARRAY['Paris', 'Lyon', 'PARIS'])[1 + n % 3], 'FR', n, timestamptz '2026-01-01 00:00:00+00' + (n / 4) * interval '1 minute'
            FROM generate_series(1, 57) AS n
            """)
    }

    @Test("pages cover every search once, newest first, with no token; next_before ends with null")
    func pagination() async throws {
        try await onThread {
            let harness = try APIDataHarness()
            try SearchAPITests.seed(harness.database)
            let expected = try harness.database.query("SELECT id FROM weather_searches ORDER BY searched_at DESC, id DESC")
                .map { try $0.decode(Int.self, "id") }
            #expect(expected.count == 57)
            for limit in [1, 10, 20, 57, 100] {
                let walked = try harness.walk("/api/searches", limit: limit)
                #expect(walked.ids == expected, "limit \(limit)")
                #expect(walked.pages == (57 + limit - 1) / limit, "limit \(limit)")
            }
            let first = try harness.call(.get, "/api/searches", authorized: false)
            #expect(first.status == 200)
            #expect(APIDataHarness.ids(first.json) == Array(expected.prefix(20)))
            #expect(APIDataHarness.nextBefore(first.json) == expected[19])
            guard case .array(let items)? = first.json["items"], let item = items.first else {
                Issue.record("no items: \(first.response.bodyText)")
                return
            }
            #expect(item["city"] != nil && item["searched_at"] != nil && item["temperature"] != nil && item["derived"] == .null)
        }
    }

    @Test("city filters case-insensitively on the exact name, across pages")
    func cityFilter() async throws {
        try await onThread {
            let harness = try APIDataHarness()
            try SearchAPITests.seed(harness.database)
            let paris = try harness.database.query(
                "SELECT id FROM weather_searches WHERE lower(city) = 'paris' ORDER BY searched_at DESC, id DESC"
            ).map { try $0.decode(Int.self, "id") }
            #expect(paris.count == 38)
            #expect(try harness.walk("/api/searches?city=pArIs", limit: 7).ids == paris)
            #expect(try harness.walk("/api/searches?city=%20Paris%20", limit: 100).ids == paris)
            #expect(try harness.walk("/api/searches?city=Par", limit: 10).ids == [])
            #expect(try harness.walk("/api/searches?city=S%C3%A3o%20Paulo", limit: 10).ids == [])
        }
    }

    @Test("bad limit, before or city: 400 naming the field")
    func badParameters() async throws {
        try await onThread {
            let harness = try APIDataHarness()
            for query in ["limit=0", "limit=101", "limit=abc", "limit=", "limit=-5", "limit=99999999999999999999999"] {
                let answer = try harness.call(.get, "/api/searches?\(query)", authorized: false)
                #expect(answer.status == 400, "\(query)")
                #expect(answer.code == "invalid_argument" && answer.message.hasPrefix("limit:"), "\(query): \(answer.message)")
            }
            for query in ["before=0", "before=-1", "before=x", "before=1.5"] {
                let answer = try harness.call(.get, "/api/searches?\(query)", authorized: false)
                #expect(answer.status == 400, "\(query)")
                #expect(answer.message.hasPrefix("before:"), "\(query): \(answer.message)")
            }
            for query in ["city=", "city=%20", "city=" + String(repeating: "a", count: 101)] {
                let answer = try harness.call(.get, "/api/searches?\(query)", authorized: false)
                #expect(answer.status == 400, "\(query)")
                #expect(answer.message.hasPrefix("city:"), "\(query): \(answer.message)")
            }
            let empty = try harness.call(.get, "/api/searches?before=999999", authorized: false)
            #expect(empty.status == 200)
            #expect(empty.json == ["items": [], "next_before": nil])
            let post = try harness.call(.post, "/api/searches")
            #expect(post.status == 405)
        }
    }
}
