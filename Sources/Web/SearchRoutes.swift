import AppSupport
import WeatherData

/// `GET /api/searches?city=&limit=&before=`: stored searches, newest first, a page at a time
/// (`{"items": [...], "next_before": id or null}`). No token needed.
enum SearchRoutes {
    /// The longest `city` filter accepted.
    static let maxCityLength = 100

    static func register(in router: inout Router, services: WebServices) {
        router.add("GET", "/api/searches") { request, _, context in
            let query = request.query
            let paging = try SearchPaging(query)
            var city: String?
            if let text = query["city"] {
                let trimmed = text.trimmingCharacters()
                guard !trimmed.isEmpty else { throw APIError.badRequest(field: "city", "must not be empty when given") }
                guard trimmed.count <= maxCityLength else {
                    throw APIError.badRequest(field: "city", "must be at most \(maxCityLength) characters")
                }
                city = trimmed
            }
            let page = try SearchStore.list(city: city, limit: paging.limit, before: paging.before, on: context.database())
            return .json(bytes: SearchListingJSON.page(page))
        }
    }
}
