import FoundationEssentials
import Postgres

/// Named statements on `weather_daily_statistics`.
enum StatisticsQueries {
    /// Serialises generating the same day (two runs at once would otherwise collide on the
    /// primary key); held until the transaction ends.
    static func lockDay(_ day: String) -> PostgresQuery {
        "SELECT pg_advisory_xact_lock(hashtext('weather_daily_statistics'), (\(day)::date - date '2000-01-01')) AS locked"
    }

    /// Removes the day's rows (before they are generated again).
    static func deleteDay(_ day: String) -> PostgresQuery {
        "DELETE FROM weather_daily_statistics WHERE day = \(day)::date"
    }

    /// Aggregates the searches made in `[from, to)` (the day's UTC midnights) per city and
    /// country into the day's rows, in one set-based statement (the `searched_at` index bounds
    /// the scan). Returns how many rows (cities) and searches it summed.
    static func generateDay(_ day: String, from: Date, to: Date) -> PostgresQuery {
        """
        WITH inserted AS (
            INSERT INTO weather_daily_statistics (
                day, city, country, searches, temperature_avg, temperature_min, temperature_max,
                humidity_avg, humidity_min, humidity_max, wind_speed_avg, wind_speed_min, wind_speed_max)
            SELECT \(day)::date, city, country, count(*), avg(temperature), min(temperature), max(temperature),
                avg(humidity::double precision), min(humidity), max(humidity),
                avg(wind_speed), min(wind_speed), max(wind_speed)
            FROM weather_searches
            WHERE searched_at >= \(from) AND searched_at < \(to)
            GROUP BY city, country
            RETURNING searches)
        SELECT count(*)::bigint AS cities, coalesce(sum(searches), 0)::bigint AS searches FROM inserted
        """
    }

    /// The columns `DailyStatistics.init(row:)` reads.
    static let columns = """
        day::text AS day, city, country, searches, temperature_avg, temperature_min, temperature_max, humidity_avg,
        humidity_min, humidity_max, wind_speed_avg, wind_speed_min, wind_speed_max, generated_at
        """

    /// Up to `limit` of the day's rows after the city and country `after` (nil: from the first),
    /// by city and country (the primary key's order).
    static func page(_ day: String, after: (city: String, country: String)?, limit: Int) -> PostgresQuery {
        """
        SELECT \(unsafeRaw: columns) FROM weather_daily_statistics
        WHERE day = \(day)::date AND (\(after?.city)::text IS NULL OR (city, country) > (\(after?.city)::text, \(after?.country)::text))
        ORDER BY city, country
        LIMIT \(limit)
        """
    }

    /// The day's rows, by city and country.
    static func forDay(_ day: String) -> PostgresQuery {
        "SELECT \(unsafeRaw: columns) FROM weather_daily_statistics WHERE day = \(day)::date ORDER BY city, country"
    }
}
