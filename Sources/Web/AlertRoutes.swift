import AppSupport
import WeatherData

/// `GET /api/alerts?limit=&before=`: recent weather alerts, newest first, a page at a time
/// (`{"items": [...], "next_before": id or null}`). No token needed.
enum AlertRoutes {
    static func register(in router: inout Router, services: WebServices) {
        router.add("GET", "/api/alerts") { request, _, context in
            let paging = try ListPaging(QueryParameters(request))
            var alerts = try AlertStore.recent(limit: paging.limit + 1, before: paging.before, on: context.database())
            let more = alerts.count > paging.limit
            if more { alerts.removeLast(alerts.count - paging.limit) }
            return .json([
                "items": .array(alerts.map(\.json)),
                "next_before": more ? JSONValue.int(alerts[alerts.count - 1].id) : .null,
            ])
        }
    }
}
