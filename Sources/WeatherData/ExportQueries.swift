import FoundationEssentials
import Postgres

/// Named statements of `export_weather_data`: the `weather_exports` records, and the COPY
/// statements that stream the rows.
///
/// COPY takes no bind parameters, so the filter values reach it through transaction-local
/// settings (`weather.export_*`, set with bound parameters by `setFilter`) that the COPY's query
/// reads with `current_setting`. Only constant SQL (which format, whether a city is given, the
/// header flag, the chunk size from code) varies in the COPY's text.
enum ExportQueries {
    /// The exported columns, in file order (CSV header, JSON keys): the key first (`id`,
    /// `searched_at`), then the search as stored.
    static let columns = """
        id, searched_at, city, country, latitude, longitude, temperature, feels_like, temp_min, temp_max, humidity,
        pressure, wind_speed, wind_direction, cloudiness, condition_code, condition_main, condition_description,
        observed_at, dew_point, heat_index, wind_chill, beaufort, comfort, processed_at
        """

    /// Records a starting export. Returns its id, its start, and the period's bounds as exact
    /// Postgres text: from `from` (or the beginning) to `to` or the start, whichever is earlier, so
    /// searches made while it runs are left out.
    static func insert(jobID: Int?, format: ExportFormat, filter: ExportFilter) -> PostgresQuery {
        """
        INSERT INTO weather_exports (job_id, format, city, period_from, period_to)
        VALUES (\(jobID), \(format.rawValue), \(filter.city), \(filter.from), \(filter.to))
        RETURNING id, created_at, coalesce(period_from, '-infinity')::text AS lower_bound,
            least(coalesce(period_to, 'infinity'), created_at)::text AS upper_bound
        """
    }

    /// Marks an export written.
    static func succeeded(id: Int, fileName: String, rows: Int, bytes: Int, sha256: String) -> PostgresQuery {
        """
        UPDATE weather_exports SET state = 'succeeded', file_name = \(fileName), row_count = \(rows), byte_count = \(bytes),
            sha256 = \(sha256), error = NULL, finished_at = now()
        WHERE id = \(id)
        """
    }

    /// Marks an export failed (no file was left).
    static func failed(id: Int, error: String) -> PostgresQuery {
        "UPDATE weather_exports SET state = 'failed', error = \(error), finished_at = now() WHERE id = \(id) AND state = 'running'"
    }

    /// The columns `ExportRecord.init(row:)` reads.
    static let recordColumns = """
        id, job_id, format, city, period_from, period_to, file_name, state, row_count, byte_count, sha256, error,
        created_at, finished_at
        """

    /// One export record.
    static func byID(_ id: Int) -> PostgresQuery {
        "SELECT \(unsafeRaw: recordColumns) FROM weather_exports WHERE id = \(id)"
    }

    /// The latest export records, newest first.
    static func recent(limit: Int) -> PostgresQuery {
        "SELECT \(unsafeRaw: recordColumns) FROM weather_exports ORDER BY created_at DESC, id DESC LIMIT \(limit)"
    }

    /// How many searches the export will take (the progress total).
    static func count(city: String?, lower: String, upper: String) -> PostgresQuery {
        if let city {
            return """
                SELECT count(*)::bigint AS n FROM weather_searches
                WHERE lower(city) = lower(\(city)) AND searched_at >= \(lower)::timestamptz AND searched_at < \(upper)::timestamptz
                """
        }
        return """
            SELECT count(*)::bigint AS n FROM weather_searches
            WHERE searched_at >= \(lower)::timestamptz AND searched_at < \(upper)::timestamptz
            """
    }

    /// Sets the filter and the position to continue after, for the COPY that follows in the same
    /// transaction (and the encoding: binary COPY sends text in the client encoding).
    static func setFilter(city: String?, lower: String, upper: String, afterAt: String, afterID: Int) -> PostgresQuery {
        """
        SELECT set_config('weather.export_city', \(city ?? ""), true), set_config('weather.export_from', \(lower), true),
            set_config('weather.export_to', \(upper), true), set_config('weather.export_after_at', \(afterAt), true),
            set_config('weather.export_after_id', \(String(afterID)), true), set_config('client_encoding', 'UTF8', true)
        """
    }

    /// The next `limit` searches of the filter after the position, in (`searched_at`, `id`)
    /// order: the index on `searched_at` (or on the city) serves it, and no chunk walks again
    /// over rows already exported.
    static func chunk(city: Bool, limit: Int) -> String {
        """
        SELECT \(columns) FROM weather_searches
        WHERE searched_at >= current_setting('weather.export_from')::timestamptz
            AND searched_at < current_setting('weather.export_to')::timestamptz
            AND (searched_at, id) > (current_setting('weather.export_after_at')::timestamptz,
                                     current_setting('weather.export_after_id')::bigint)
            \(city ? "AND lower(city) = lower(current_setting('weather.export_city'))" : "")
        ORDER BY searched_at, id
        LIMIT \(limit)
        """
    }

    /// A chunk as CSV (the header only when asked): Postgres's CSV quoting, NULL as an empty field.
    static func copyCSV(city: Bool, limit: Int, header: Bool) -> PostgresQuery {
        PostgresQuery(
            unsafeSQL: "COPY (\(chunk(city: city, limit: limit))) TO STDOUT WITH (FORMAT csv, HEADER \(header), ENCODING 'UTF8')")
    }

    /// A chunk in binary format, each tuple (`id`, `searched_at`, the row as a JSON object):
    /// binary output does not escape the JSON's backslashes as the text format would.
    static func copyJSON(city: Bool, limit: Int) -> PostgresQuery {
        PostgresQuery(
            unsafeSQL: """
                COPY (SELECT s.id, s.searched_at, row_to_json(s) FROM (\(chunk(city: city, limit: limit))) AS s
                      ORDER BY s.searched_at, s.id) TO STDOUT WITH (FORMAT binary)
                """)
    }
}
