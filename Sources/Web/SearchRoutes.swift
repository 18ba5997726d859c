import AppSupport
import WeatherData

/// `GET /api/searches?city=&limit=&before=`: stored searches, newest first, a page at a time
/// (`{"items": [...], "next_before": id or null}`). No token needed. Pages are served from
/// `WebServices.searchPages` while it is live (see `SearchPageCache`).
enum SearchRoutes {
    /// The longest `city` filter accepted.
    static let maxCityLength = 100

    static func register(in router: inout Router, services: WebServices) {
        let cache = services.searchPages
        router.add("GET", "/api/searches") { request, _, context in
            let query = QueryParameters(request)
            let paging = try ListPaging(query)
            var city: String?
            if let text = try query.optional("city") {
                let trimmed = text.trimmingCharacters()
                guard !trimmed.isEmpty else { throw APIError.badRequest(field: "city", "must not be blank") }
                guard trimmed.count <= maxCityLength else {
                    throw APIError.badRequest(field: "city", "must be at most \(maxCityLength) characters")
                }
                city = trimmed
            }
            let key = pageKey(city: city, paging: paging)
            if let page = cache.value(key) { return .json(bytes: page) }
            let ticket = cache.ticket()
            let page = SearchListingJSON.page(
                try SearchStore.list(city: city, limit: paging.limit, before: paging.before, on: context.database()))
            if let ticket { cache.store(page, for: key, ticket: ticket) }
            return .json(bytes: page)
        }
    }

    /// The cache key of one page: what the query asks for, after defaults and trimming.
    static func pageKey(city: String?, paging: ListPaging) -> String {
        "\(paging.limit)/\(paging.before ?? 0)/\(city ?? "")"
    }
}
