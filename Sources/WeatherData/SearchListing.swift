import Postgres

/// One page of stored searches, newest first.
public struct SearchPage: Sendable, Equatable {
    /// The searches of this page, newest first (`searched_at`, then `id`, descending).
    public var items: [WeatherSearch]
    /// The cursor of the next page (the last item's id), or nil when this is the last page.
    public var nextBefore: Int?

    /// Creates a page.
    public init(items: [WeatherSearch], nextBefore: Int?) {
        self.items = items
        self.nextBefore = nextBefore
    }
}

extension SearchStore {
    /// Stored searches, newest first, one page at a time.
    /// - Parameters:
    ///   - city: Only this city (case-insensitive exact match), or nil for all.
    ///   - limit: Searches per page (at least 1).
    ///   - before: The cursor: the id of the last search of the previous page; the page holds the
    ///     searches after it in the listing's order. A cursor whose search was deleted since
    ///     (cleanup) gives an empty page.
    ///   - connection: Any connection.
    public static func list(city: String? = nil, limit: Int, before: Int? = nil, on connection: PostgresConnection) throws -> SearchPage {
        let size = max(1, limit)
        let query: PostgresQuery
        switch (city, before) {
        case (nil, nil): query = SearchListingQueries.newest(limit: size + 1)
        case (nil, let before?): query = SearchListingQueries.older(than: before, limit: size + 1)
        case (let city?, nil): query = SearchListingQueries.newest(city: city, limit: size + 1)
        case (let city?, let before?): query = SearchListingQueries.older(than: before, city: city, limit: size + 1)
        }
        var items = try connection.query(query).map(WeatherSearch.init(listingRow:))
        let more = items.count > size
        if more { items.removeLast(items.count - size) }
        return SearchPage(items: items, nextBefore: more ? items.last?.id : nil)
    }
}
