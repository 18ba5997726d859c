import AppSupport
import FoundationEssentials
import WeatherData

/// The weather pages: `GET /admin/searches` (filter by city and time, older pages by cursor),
/// `GET /admin/statistics` (one city's daily temperature over the last N days as an SVG chart
/// and a table) and `GET /admin/alerts` (newest first, by cursor).
enum WeatherPages {
    /// Days the statistics page covers unless `days` says otherwise, and the most it takes.
    static let defaultDays = 14
    static let maxDays = 366

    static func register(in router: inout Router, services: WebServices) {
        router.add("GET", "/admin/searches") { request, _, context in
            let session = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            var filters = AdminFilters(request)
            let city = try filters.read("city") { try $0.text("city", maxLength: SearchRoutes.maxCityLength) }
            let from = try filters.read("from") { try $0.time("from") }, to = try filters.read("to") { try $0.time("to") }
            let before = try filters.read("before") { try $0.positive("before") }
            let listed = filters.problems.isEmpty
            let page =
                listed
                ? try SearchStore.list(city: city, from: from, to: to, limit: AdminPager.pageSize, before: before, on: context.database())
                : SearchPage(items: [], nextBefore: nil)
            let chosen: [(String, String?)] = [("city", city), ("from", AdminTime.field(from)), ("to", AdminTime.field(to))]
            let fields: [String: Any?] = [
                "searches": page.items.map(searchRow), "empty": page.items.isEmpty, "listed": listed, "city": filters.shown("city", city),
                "from": filters.shown("from", AdminTime.field(from)), "to": filters.shown("to", AdminTime.field(to)),
                "filtered": chosen.contains { $0.1 != nil } || !listed,
                "pager": AdminPager.context(path: "/admin/searches", filters: chosen, before: before, nextBefore: page.nextBefore),
            ]
            return session.page(
                "searches", title: "Weather searches", section: "searches",
                fields.merging(filters.context(formFields: ["city", "from", "to"])) { mine, _ in mine }, status: filters.status)
        }
        router.add("GET", "/admin/statistics") { request, _, context in
            let session = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            return try statistics(request, session: session, context: context)
        }
        router.add("GET", "/admin/alerts") { request, _, context in
            let session = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            let before = try AdminQuery(request).positive("before")
            var alerts = try AlertStore.recent(limit: AdminPager.pageSize + 1, before: before, on: context.database())
            let more = alerts.count > AdminPager.pageSize
            if more { alerts.removeLast(alerts.count - AdminPager.pageSize) }
            return session.page(
                "alerts", title: "Alerts", section: "alerts",
                [
                    "alerts": alerts.map { alert -> [String: Any] in
                        [
                            "id": alert.id, "kind": alert.kind.rawValue, "place": place(alert.city, alert.country),
                            "value": AdminFormat.number(alert.value), "threshold": AdminFormat.number(alert.threshold), "message": alert.message,
                            "observed": AdminFormat.time(alert.observedAt) ?? "", "created": AdminFormat.time(alert.createdAt) ?? "",
                        ]
                    },
                    "empty": alerts.isEmpty,
                    "pager": AdminPager.context(path: "/admin/alerts", filters: [], before: before, nextBefore: more ? alerts.last?.id : nil),
                ])
        }
    }

    /// `City (CC)`, or the city alone without a country.
    static func place(_ city: String, _ country: String) -> String {
        country.isEmpty ? city : "\(city) (\(country))"
    }

    static func searchRow(_ search: WeatherSearch) -> [String: Any] {
        let weather = search.weather
        return [
            "id": search.id, "place": place(weather.city, weather.country), "searched": AdminFormat.time(search.searchedAt) ?? "",
            "temperature": AdminFormat.number(weather.temperature), "feels_like": AdminFormat.number(weather.feelsLike),
            "humidity": weather.humidity, "wind": AdminFormat.number(weather.windSpeed), "condition": weather.conditionDescription,
            "comfort": search.derived?.comfort ?? "", "processed": search.derived != nil,
        ]
    }

    /// The statistics page: `city` is `CITY,COUNTRY` (as the city menu sends it), `days` 1...366.
    static func statistics(_ request: WebRequest, session: AdminSignedIn, context: RequestContext) throws -> WebResponse {
        var filters = AdminFilters(request)
        let asked = try filters.read("days") { query in
            try query.text("days", maxLength: 4).map { text in
                guard let value = Int(text), (1...maxDays).contains(value) else {
                    throw AdminError.badRequest(field: "days", "must be a whole number from 1 to \(maxDays)")
                }
                return value
            }
        }
        let days = asked ?? defaultDays
        let today = CalendarDayText.today()
        let since = CalendarDayText.daysBefore(today, days - 1)
        let database = try context.database()
        let cities = try StatisticsStore.cities(since: since, on: database)
        let cursor = try filters.read("city") { query in
            try query.text("city", maxLength: 300).map { text in
                guard let cursor = StatisticsCursor(text) else { throw AdminError.badRequest(field: "city", "must be CITY,COUNTRY as the menu sends it") }
                return cursor
            }
        }
        // With a bad filter value, no chart: the form again with the value and its problem.
        var chosen: (city: String, country: String)? = cursor.map { ($0.city, $0.country) } ?? cities.first
        if !filters.problems.isEmpty { chosen = nil }
        var page: [String: Any?] = [
            "days": filters.shown("days", String(days)), "since": since, "today": today, "no_cities": cities.isEmpty,
            "cities": cities.map { item -> [String: Any] in
                let value = StatisticsCursor(city: item.city, country: item.country).text
                return [
                    "value": value, "label": place(item.city, item.country),
                    "selected": chosen.map { $0.city == item.city && $0.country == item.country } ?? false,
                ]
            },
        ]
        if let chosen {
            let history = try StatisticsStore.history(city: chosen.city, country: chosen.country, since: since, on: database)
            let label = place(chosen.city, chosen.country)
            page["city_label"] = label
            page["no_history"] = history.isEmpty
            page["chart"] =
                history.isEmpty
                ? nil
                : AdminCharts.temperatures(
                    history.map { .init(day: $0.day, average: $0.temperature.average, minimum: $0.temperature.minimum, maximum: $0.temperature.maximum) },
                    label: "Daily temperature in \(label), \(history.first!.day) to \(history.last!.day): average line, lowest to highest band")
            page["rows"] = history.reversed().map { day -> [String: Any] in
                [
                    "day": day.day, "searches": day.searches, "avg": AdminFormat.number(day.temperature.average),
                    "min": AdminFormat.number(day.temperature.minimum), "max": AdminFormat.number(day.temperature.maximum),
                    "humidity": day.humidity.map { AdminFormat.number($0.average, digits: 0) } ?? "",
                    "wind": day.windSpeed.map { AdminFormat.number($0.average) } ?? "",
                ]
            }
        }
        page.merge(filters.context(formFields: ["days", "city"])) { mine, _ in mine }
        return session.page("statistics", title: "Statistics", section: "statistics", page, status: filters.status)
    }
}

/// UTC calendar days as `YYYY-MM-DD` text.
enum CalendarDayText {
    static func today(now: Date = Date()) -> String {
        String(Timestamps.iso8601(now).prefix(10))
    }

    /// The day `count` days before `day` (a valid `YYYY-MM-DD`).
    static func daysBefore(_ day: String, _ count: Int) -> String {
        guard let midnight = Timestamps.parseISO8601(day + "T00:00:00Z") else { return day }
        return String(Timestamps.iso8601(midnight.addingTimeInterval(-86_400 * Double(count))).prefix(10))
    }
}
