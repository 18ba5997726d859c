import AppSupport
import Foundation
import HTTPClient
import Postgres
import Testing
import TestSupport

/// `/metrics`, `/api/openapi.json` and 405s through nginx and the real FCGIApp.
@Suite("Metrics and OpenAPI through nginx", .serialized)
struct MetricsAPITests {
    func get(_ stack: ServiceStack, _ path: String, method: HTTPMethod = .get) throws -> HTTPResponse {
        try HTTPClient().perform(HTTPRequest(method: method, url: stack.baseURL + path, totalTimeout: .seconds(30)))
    }

    func scrape(_ stack: ServiceStack) throws -> PrometheusText {
        let response = try get(stack, "/metrics")
        #expect(response.status == 200)
        #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        return try PrometheusText(response.bodyText)
    }

    @Test("request counters move with requests; queue, worker and schedule figures come from the database")
    func figures() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            // TaskRunner's migrate also writes the schedules table.
            let migrated = try taskRunner(["migrate"], databaseURL: url)
            #expect(migrated.status == 0, "\(migrated.stderr)")
            let connection = try PostgresConnection(conninfo: url)
            defer { connection.close() }
            for statement in [
                "INSERT INTO jobs (task, queue, state, run_at, created_at) VALUES ('test_task', 'metrics-q', 'queued', now() - interval '90 seconds', now() - interval '90 seconds')",
                "INSERT INTO jobs (task, queue, state, run_at) VALUES ('test_task', 'metrics-q', 'queued', now() + interval '1 hour')",
                "INSERT INTO jobs (task, queue, state, attempts, started_at, worker) VALUES ('test_task', 'metrics-q', 'running', 1, now(), 'w1')",
                "INSERT INTO jobs (task, queue, state, attempts, started_at, finished_at) VALUES ('health_check', 'metrics-q', 'succeeded', 3, now() - interval '5 seconds', now() - interval '2 seconds'), ('health_check', 'metrics-q', 'failed', 1, now() - interval '4 seconds', now() - interval '3 seconds')",
                "INSERT INTO workers (id, host, pid, queues, concurrency) VALUES ('w1', 'h', 1, '{metrics-q}', 2), ('w2', 'h', 2, '{default}', 1)",
                "UPDATE workers SET last_heartbeat_at = now() - interval '1 hour' WHERE id = 'w2'",
                "INSERT INTO schedule_runs (schedule, slot, host, pid, state, started_at, finished_at) VALUES ('health-check', '2026-01-01 00:00', 'h', 1, 'succeeded', '2026-01-01 00:00:01+00', '2026-01-01 00:00:05+00'), ('database-maintenance', '2026-01-01 03:00', 'h', 1, 'succeeded', '2026-01-01 03:00:00+00', '2026-01-01 03:01:00+00'), ('database-maintenance', '2026-01-08 03:00', 'h', 1, 'failed', '2026-01-08 03:00:00+00', '2026-01-08 03:02:00+00')",
            ] {
                try connection.execute(PostgresQuery(unsafeSQL: statement))
            }
            let stack = try ServiceStack(databaseURL: url)
            defer { stack.shutdown() }

            let before = try scrape(stack)
            for _ in 0..<5 { #expect(try get(stack, "/api/ping").status == 200) }
            #expect(try get(stack, "/api/tasks/12345").status == 401)
            #expect(try get(stack, "/api/no/such/thing").status == 404)
            let after = try scrape(stack)
            let ping: [String: String] = ["route": "/api/ping", "method": "GET", "status": "200"]
            #expect((after.value("weather_http_requests_total", ping) ?? 0) - (before.value("weather_http_requests_total", ping) ?? 0) == 5)
            #expect(after.value("weather_http_requests_total", ["route": "/api/tasks/{id}", "method": "GET", "status": "401"]) == 1)
            #expect(after.value("weather_http_requests_total", ["route": "unmatched", "method": "GET", "status": "404"]) == 1)
            #expect(after.value("weather_http_request_duration_seconds_count", ["route": "/api/ping"]) ?? 0 >= 5)
            #expect(!after.samples.contains { $0.labels["route"]?.contains("12345") == true })

            #expect(after.value("weather_database_up") == 1)
            #expect(after.value("weather_jobs", ["queue": "metrics-q", "state": "queued"]) == 2)
            #expect(after.value("weather_jobs", ["queue": "metrics-q", "state": "running"]) == 1)
            #expect(after.value("weather_jobs", ["queue": "metrics-q", "state": "retrying"]) == 0)
            #expect(after.value("weather_jobs_count_capped") == 0)
            #expect(after.value("weather_jobs_recently_finished", ["queue": "metrics-q", "state": "succeeded"]) == 1)
            #expect(after.value("weather_jobs_recently_finished", ["queue": "metrics-q", "state": "failed"]) == 1)
            #expect(try #require(after.value("weather_job_oldest_waiting_seconds", ["queue": "metrics-q"])) >= 90)
            #expect(after.value("weather_job_duration_seconds_count", ["task": "health_check"]) == 2)
            #expect(abs(try #require(after.value("weather_job_duration_seconds_sum", ["task": "health_check"])) - 4) < 0.01)
            #expect(abs(try #require(after.value("weather_job_duration_seconds", ["task": "health_check", "quantile": "0.5"])) - 2) < 0.01)
            #expect(after.value("weather_job_retries", ["task": "health_check"]) == 2)
            #expect(after.value("weather_workers_live") == 1)
            #expect(after.value("weather_schedule_last_success_timestamp_seconds", ["schedule": "health-check"]) == 1_767_225_605)
            #expect(after.value("weather_schedule_last_run_ok", ["schedule": "health-check"]) == 1)
            #expect(after.value("weather_schedule_last_success_timestamp_seconds", ["schedule": "database-maintenance"]) == 1_767_236_460)
            #expect(after.value("weather_schedule_last_run_ok", ["schedule": "database-maintenance"]) == 0)
            #expect(after.value("weather_schedule_last_run_ok", ["schedule": "generate-weather-statistics"]) == nil)
            #expect(after.value("weather_schedule_paused", ["schedule": "health-check"]) == 0)
            for family in after.types.keys { #expect(after.help[family] != nil, "\(family) has no HELP") }
        }
    }

    @Test("with the database away, /metrics still answers with the request figures and weather_database_up 0")
    func databaseDown() async throws {
        try await onThread {
            let stack = try ServiceStack(databaseURL: "postgresql://nobody@127.0.0.1:\(freeLocalPort())/none?connect_timeout=2")
            defer { stack.shutdown() }
            #expect(try get(stack, "/api/ping").status == 200)
            let parsed = try scrape(stack)
            #expect(parsed.value("weather_database_up") == 0)
            #expect(parsed.value("weather_http_requests_total", ["route": "/api/ping", "method": "GET", "status": "200"]) == 1)
            #expect(parsed.types["weather_jobs"] == nil)
        }
    }

    @Test("GET /api/openapi.json answers the document; a wrong method gets 405 with Allow")
    func openAPIAndMethods() async throws {
        try await onThread {
            let stack = try ServiceStack(databaseURL: try TestDatabase.fresh())
            defer { stack.shutdown() }
            let response = try get(stack, "/api/openapi.json")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            let document = try JSONValue.parse(response.body)
            #expect(document["openapi"] == "3.0.3")
            guard case .object(let paths)? = document["paths"] else { Issue.record("no paths"); return }
            #expect(paths.count == 15)
            let put = try get(stack, "/api/ping", method: .put)
            #expect(put.status == 405)
            #expect(put.header("Allow") == "GET, HEAD")
            #expect(try JSONValue.parse(put.body)["error"]?["code"] == "method_not_allowed")
        }
    }
}
