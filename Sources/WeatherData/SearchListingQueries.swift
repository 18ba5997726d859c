import Postgres

/// Named statements for listing `weather_searches` newest first, page by page.
///
/// Every variant seeks with a row comparison on `(searched_at, id)` against the row the cursor
/// names and walks an index backwards (`weather_searches_searched_idx`, or
/// `weather_searches_city_idx` with the city filter), so a page costs the same at any depth:
/// no `OFFSET`. Each reads `limit` rows; callers ask for one more than they show to learn
/// whether a next page exists.
enum SearchListingQueries {
    /// The newest searches.
    static func newest(limit: Int) -> PostgresQuery {
        """
        SELECT \(unsafeRaw: SearchQueries.columns) FROM weather_searches
        ORDER BY searched_at DESC, id DESC
        LIMIT \(limit)
        """
    }

    /// The searches older than the one with id `before` (in `searched_at, id` order).
    static func older(than before: Int, limit: Int) -> PostgresQuery {
        """
        SELECT \(unsafeRaw: SearchQueries.columns) FROM weather_searches
        WHERE (searched_at, id) < (SELECT c.searched_at, c.id FROM weather_searches c WHERE c.id = \(before))
        ORDER BY searched_at DESC, id DESC
        LIMIT \(limit)
        """
    }

    /// The newest searches of one city (case-insensitive exact name).
    static func newest(city: String, limit: Int) -> PostgresQuery {
        """
        SELECT \(unsafeRaw: SearchQueries.columns) FROM weather_searches
        WHERE lower(city) = lower(\(city))
        ORDER BY lower(city) DESC, searched_at DESC, id DESC
        LIMIT \(limit)
        """
    }

    /// One city's searches older than the one with id `before`.
    static func older(than before: Int, city: String, limit: Int) -> PostgresQuery {
        """
        SELECT \(unsafeRaw: SearchQueries.columns) FROM weather_searches
        WHERE lower(city) = lower(\(city))
          AND (searched_at, id) < (SELECT c.searched_at, c.id FROM weather_searches c WHERE c.id = \(before))
        ORDER BY lower(city) DESC, searched_at DESC, id DESC
        LIMIT \(limit)
        """
    }
}
