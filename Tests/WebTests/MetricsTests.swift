import AppSupport
import Foundation
import Postgres
import Testing
import TestSupport
@testable import Web

@Suite("Metrics: request figures, the exposition format, the dashboard")
struct MetricsTests {
    func metricsText(_ app: WebApplication, databaseURL: String? = nil) throws -> (WebResponse, PrometheusText) {
        let response = app.respond(to: WebRequest(method: "GET", path: "/metrics"), context: RequestContext(databaseURL: databaseURL))
        return (response, try PrometheusText(String(decoding: response.body, as: UTF8.self)))
    }

    @Test("label values and help text are escaped; values are written as the format wants")
    func escaping() throws {
        #expect(MetricsText.escapeLabel(#"a\b"c"# + "\nd") == #"a\\b\"c\nd"#)
        #expect(MetricsText.escapeLabel("/api/tasks/{id}") == "/api/tasks/{id}")
        #expect(MetricsText.escapeHelp("x\\y\nz") == #"x\\y\nz"#)
        #expect(MetricsText.format(3) == "3")
        #expect(MetricsText.format(0.0005) == "0.0005")
        #expect(MetricsText.format(.infinity) == "+Inf")
        #expect(MetricsText.format(.nan) == "NaN")
        var text = MetricsText()
        text.family("weather_test", type: "gauge", help: "a \"quoted\" help")
        text.sample("weather_test", [("route", "a\"b\\c\nd")], 1.5)
        let parsed = try PrometheusText(text.text)
        #expect(parsed.value("weather_test", ["route": "a\"b\\c\nd"]) == 1.5)
    }

    @Test("durations land in the right bucket; series merge over threads")
    func buckets() throws {
        #expect(RequestMetrics.bucketIndex(0.0001) == 0)
        #expect(RequestMetrics.bucketIndex(0.0005) == 0)
        #expect(RequestMetrics.bucketIndex(0.0006) == 1)
        #expect(RequestMetrics.bucketIndex(10) == RequestMetrics.bucketBounds.count - 1)
        #expect(RequestMetrics.bucketIndex(11) == RequestMetrics.bucketBounds.count)
        let metrics = RequestMetrics()
        let threads = (0..<8).map { _ in
            Thread { for _ in 0..<1000 { metrics.record(route: "/r", method: "GET", status: 200, seconds: 0.002) } }
        }
        threads.forEach { $0.start() }
        try eventually("8000 records merged") { metrics.snapshot()[.init(route: "/r", method: "GET", status: 200)]?.count == 8000 }
        let series = try #require(metrics.snapshot()[.init(route: "/r", method: "GET", status: 200)])
        #expect(series.buckets[RequestMetrics.bucketIndex(0.002)] == 8000)
        metrics.record(route: "/r", method: "BREW", status: 405, seconds: 0)
        #expect(metrics.snapshot()[.init(route: "/r", method: "other", status: 405)]?.count == 1)
    }

    @Test("a registered route records into the same series as its name; registering twice gives the same route")
    func registeredRoutes() {
        let metrics = RequestMetrics()
        let ping = metrics.route("/api/ping")
        #expect(metrics.route("/api/ping") == ping)
        #expect(metrics.route("/api/other") != ping)
        metrics.record(ping, method: "GET", status: 200, seconds: 0.0001)
        metrics.record(route: "/api/ping", method: "GET", status: 200, seconds: 0.003)
        metrics.record(ping, method: "GET", status: 500, seconds: 0.0001)
        metrics.record(ping, method: "PROPFIND", status: 200, seconds: 0.0001)
        let snapshot = metrics.snapshot()
        let series = snapshot[.init(route: "/api/ping", method: "GET", status: 200)]
        #expect(series?.count == 2)
        #expect(series?.buckets[0] == 1 && series?.buckets[RequestMetrics.bucketIndex(0.003)] == 1)
        #expect(snapshot[.init(route: "/api/ping", method: "GET", status: 500)]?.count == 1)
        #expect(snapshot[.init(route: "/api/ping", method: "other", status: 200)]?.count == 1)
        #expect(snapshot.count == 3)
    }

    @Test("scrapes taken while new routes are registered and recorded see only whole series")
    func snapshotsDuringRegistration() throws {
        let metrics = RequestMetrics()
        let recorder = Thread { for index in 0..<2000 { metrics.record(route: "/r\(index)", method: "GET", status: 200, seconds: 0.001) } }
        recorder.start()
        while metrics.snapshot().count < 2000 {
            #expect(metrics.snapshot().values.allSatisfy { $0.count == 1 })
        }
        #expect(metrics.snapshot()[.init(route: "/r1999", method: "GET", status: 200)]?.count == 1)
    }

    @Test("requests are counted by route pattern, never the raw path; unknown paths as unmatched")
    func routeLabels() throws {
        let app = WebApplication()
        let context = RequestContext(databaseURL: nil)
        for path in ["/api/tasks/1", "/api/tasks/2", "/api/tasks/3/cancel", "/api/nothing/here", "/api/ping"] {
            _ = app.respond(to: WebRequest(method: path.hasSuffix("cancel") ? "POST" : "GET", path: path), context: context)
        }
        _ = app.respond(to: WebRequest(method: "DELETE", path: "/api/tasks/9"), context: context)
        let keys = app.services.metrics.snapshot()
        #expect(keys.keys.filter { $0.route == "/api/tasks/{id}" && $0.method == "GET" }.map { keys[$0]!.count }.reduce(0, +) == 2)
        #expect(keys.keys.contains { $0.route == "/api/tasks/{id}/cancel" && $0.method == "POST" })
        #expect(keys[.init(route: "unmatched", method: "GET", status: 404)]?.count == 1)
        #expect(keys[.init(route: "/api/ping", method: "GET", status: 200)]?.count == 1)
        #expect(keys[.init(route: "/api/tasks/{id}", method: "DELETE", status: 405)]?.count == 1)
        #expect(!keys.keys.contains { $0.route.contains("/1") || $0.route.contains("/9") })
    }

    @Test("without a database /metrics still answers: request figures and weather_database_up 0")
    func databaseDown() async throws {
        try await onThread {
            let app = WebApplication()
            _ = app.respond(to: WebRequest(method: "GET", path: "/api/ping"), context: RequestContext(databaseURL: nil))
            let (response, parsed) = try metricsText(app, databaseURL: "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(parsed.value("weather_database_up") == 0)
            #expect(parsed.value("weather_http_requests_total", ["route": "/api/ping", "status": "200"]) == 1)
            #expect(parsed.types["weather_http_request_duration_seconds"] == "histogram")
            #expect(parsed.value("weather_http_request_duration_seconds_bucket", ["route": "/api/ping", "le": "+Inf"]) == 1)
            #expect(parsed.value("weather_http_request_duration_seconds_count", ["route": "/api/ping"]) == 1)
            #expect(parsed.types["weather_jobs"] == nil)
        }
    }

    @Test("histogram buckets are cumulative and end with +Inf equal to the count")
    func histogramShape() throws {
        let app = WebApplication()
        for seconds in [0.0001, 0.003, 0.2, 20] { app.services.metrics.record(route: "/x", method: "GET", status: 200, seconds: seconds) }
        let (_, parsed) = try metricsText(app)
        let buckets = parsed.samples.filter { $0.name == "weather_http_request_duration_seconds_bucket" && $0.labels["route"] == "/x" }
        #expect(buckets.count == RequestMetrics.bucketBounds.count + 1)
        #expect(buckets.map(\.value) == buckets.map(\.value).sorted())
        #expect(buckets.first?.labels["le"] == "0.0005" && buckets.first?.value == 1)
        #expect(buckets.last?.labels["le"] == "+Inf" && buckets.last?.value == 4)
        #expect(parsed.value("weather_http_request_duration_seconds_bucket", ["route": "/x", "le": "10"]) == 3)
    }

    @Test("the Grafana dashboard parses and its expressions name only metrics /metrics serves")
    func dashboard() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            let (_, parsed) = try metricsText(WebApplication(), databaseURL: url)
            #expect(parsed.value("weather_database_up") == 1)
            var served = Set<String>()
            for (name, type) in parsed.types {
                served.insert(name)
                if type == "histogram" { served.formUnion([name + "_bucket", name + "_sum", name + "_count"]) }
                if type == "summary" { served.formUnion([name + "_sum", name + "_count"]) }
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: Repository.root + "/grafana/weather-service-dashboard.json"))
            let dashboard = try JSONValue.parse(Array(data))
            guard case .array(let panels)? = dashboard["panels"] else { Issue.record("no panels"); return }
            #expect(panels.count >= 9)
            var expressions: [String] = []
            for panel in panels {
                guard case .array(let targets)? = panel["targets"] else { continue }
                for target in targets { if case .string(let expr)? = target["expr"] { expressions.append(expr) } }
            }
            #expect(expressions.count >= 12)
            let regex = try Regex(#"weather_[a-z_]+"#)
            var named = Set<String>()
            for expr in expressions {
                for match in expr.matches(of: regex) { named.insert(String(expr[match.range])) }
            }
            #expect(named.subtracting(served).isEmpty, "dashboard names metrics /metrics does not serve: \(named.subtracting(served).sorted())")
            for needed in ["weather_http_requests_total", "weather_http_request_duration_seconds_bucket", "weather_jobs", "weather_job_oldest_waiting_seconds",
                           "weather_job_duration_seconds", "weather_job_retries", "weather_workers_live",
                           "weather_schedule_last_success_timestamp_seconds", "weather_schedule_last_run_ok"] {
                #expect(named.contains(needed), "the dashboard does not show \(needed)")
            }
        }
    }
}
