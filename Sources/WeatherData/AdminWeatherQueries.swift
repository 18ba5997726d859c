import FoundationEssentials
import Postgres

/// The statements behind the web admin's weather pages that the API has no use for: searches
/// filtered by time, one city's daily statistics over a period, the cities that have any, and
/// exports a page at a time.
enum AdminWeatherQueries {
    /// Searches newest first within [`from`, `to`) (either may be nil), of `city` when given, older
    /// than the search `before` when given. Used only with a time filter (the listings without one
    /// go through `SearchListingQueries`).
    static func searches(city: String?, from: Date?, to: Date?, before: Int?, limit: Int) -> PostgresQuery {
        """
        SELECT \(unsafeRaw: SearchQueries.columns) FROM weather_searches
        WHERE searched_at >= coalesce(\(from)::timestamptz, '-infinity')
          AND searched_at < coalesce(\(to)::timestamptz, 'infinity')
          AND (\(city)::text IS NULL OR lower(city) = lower(\(city)))
          AND (\(before)::bigint IS NULL
               OR (searched_at, id) < (SELECT c.searched_at, c.id FROM weather_searches c WHERE c.id = \(before)))
        ORDER BY searched_at DESC, id DESC
        LIMIT \(limit)
        """
    }

    /// The cities (and countries) with statistics on or after `since` (`YYYY-MM-DD`), by name.
    static func statisticsCities(since: String, limit: Int) -> PostgresQuery {
        """
        SELECT DISTINCT city, country FROM weather_daily_statistics WHERE day >= \(since)::date
        ORDER BY city, country LIMIT \(limit)
        """
    }

    /// One city's daily statistics from `since` (`YYYY-MM-DD`) on, oldest day first.
    static func statisticsHistory(city: String, country: String, since: String) -> PostgresQuery {
        """
        SELECT \(unsafeRaw: StatisticsQueries.columns) FROM weather_daily_statistics
        WHERE city = \(city) AND country = \(country) AND day >= \(since)::date
        ORDER BY day
        """
    }

    /// Export records newest first (by id), below `before` when given.
    static func exports(before: Int?, limit: Int) -> PostgresQuery {
        """
        SELECT \(unsafeRaw: ExportQueries.recordColumns) FROM weather_exports
        WHERE \(before)::bigint IS NULL OR id < \(before)
        ORDER BY id DESC
        LIMIT \(limit)
        """
    }
}
