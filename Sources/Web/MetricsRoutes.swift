import Logging
import Postgres
import Storage

/// `GET /metrics`: Prometheus text format. This process's request figures, then the queue,
/// workers and schedules read from the database in one query at scrape time. When the
/// database does not answer, the request figures still come, with `weather_database_up 0`.
enum MetricsRoutes {
    static func register(in router: inout Router, services: WebServices) {
        router.add("GET", "/metrics") { _, _, context in
            var text = MetricsText()
            writeRequests(services.metrics.snapshot(), into: &text)
            writeCaches(services, into: &text)
            writeDatabase(context, into: &text)
            return WebResponse(status: 200, headers: [("Content-Type", MetricsText.contentType)], body: Array(text.text.utf8))
        }
    }

    /// `weather_http_requests_total` and the `weather_http_request_duration_seconds` histogram.
    static func writeRequests(_ series: [RequestMetrics.SeriesKey: RequestMetrics.Series], into text: inout MetricsText) {
        let keys = series.keys.sorted { ($0.route, $0.method, $0.status) < ($1.route, $1.method, $1.status) }
        text.family("weather_http_requests_total", type: "counter", help: "HTTP requests answered by this FCGIApp process, by route pattern, method and status.")
        for key in keys {
            text.sample(
                "weather_http_requests_total", [("route", key.route), ("method", key.method), ("status", String(key.status))],
                series[key]!.count)
        }
        var byRoute: [String: RequestMetrics.Series] = [:]
        for (key, value) in series { byRoute[key.route, default: RequestMetrics.Series()].add(value) }
        text.family(
            "weather_http_request_duration_seconds", type: "histogram",
            help: "Time from routing a request to its answer in this FCGIApp process, by route pattern.")
        for route in byRoute.keys.sorted() {
            let figures = byRoute[route]!
            var cumulative: UInt64 = 0
            for (index, bound) in RequestMetrics.bucketBounds.enumerated() {
                cumulative += figures.buckets[index]
                text.sample("weather_http_request_duration_seconds_bucket", [("route", route), ("le", MetricsText.format(bound))], cumulative)
            }
            text.sample("weather_http_request_duration_seconds_bucket", [("route", route), ("le", "+Inf")], figures.count)
            text.sample("weather_http_request_duration_seconds_sum", [("route", route)], figures.sum)
            text.sample("weather_http_request_duration_seconds_count", [("route", route)], figures.count)
        }
    }

    /// `weather_cache_lookups_total` by cache (`search_pages`, `api_tokens`) and result (hit or miss).
    static func writeCaches(_ services: WebServices, into text: inout MetricsText) {
        text.family(
            "weather_cache_lookups_total", type: "counter",
            help: "Lookups in this FCGIApp process's NOTIFY-kept caches (search_pages: GET /api/searches pages; api_tokens: bearer tokens), by result.")
        for (name, counts) in [("search_pages", services.searchPages.counts), ("api_tokens", services.tokens.counts)] {
            text.sample("weather_cache_lookups_total", [("cache", name), ("result", "hit")], UInt64(counts.hits))
            text.sample("weather_cache_lookups_total", [("cache", name), ("result", "miss")], UInt64(counts.misses))
        }
    }

    /// The database figures, or `weather_database_up 0` when the database does not answer.
    static func writeDatabase(_ context: RequestContext, into text: inout MetricsText) {
        let figures: DatabaseFigures
        do {
            figures = try DatabaseFigures(rows: context.database().query(MetricsQueries.snapshot))
        } catch {
            Logger(label: "fcgiapp").warning("metrics: database figures unavailable: \(error)", source: "web")
            text.family("weather_database_up", type: "gauge", help: "1 when the database answered this scrape's query, else 0.")
            text.sample("weather_database_up", [], 0.0)
            return
        }
        text.family("weather_database_up", type: "gauge", help: "1 when the database answered this scrape's query, else 0.")
        text.sample("weather_database_up", [], 1.0)
        figures.write(into: &text)
    }
}
