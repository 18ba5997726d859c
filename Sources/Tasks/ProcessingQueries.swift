import Postgres

/// Named statements of `async_weather_processing` on `weather_searches`.
enum ProcessingQueries {
    /// The raw figures the derivation needs, of one search.
    static func figures(id: Int) -> PostgresQuery {
        "SELECT id, temperature, humidity, wind_speed FROM weather_searches WHERE id = \(id)"
    }

    /// Up to `limit` unprocessed searches, oldest first, locked for this transaction; rows another
    /// transaction is processing are skipped (the partial index `weather_searches_unprocessed_idx`
    /// serves it).
    static func claimUnprocessed(limit: Int) -> PostgresQuery {
        """
        SELECT id, temperature, humidity, wind_speed FROM weather_searches
        WHERE processed_at IS NULL ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
        """
    }

    /// How many searches wait for processing, counting at most `limit`.
    static func unprocessedCount(limit: Int) -> PostgresQuery {
        """
        SELECT count(*)::bigint AS n FROM (
            SELECT 1 FROM weather_searches WHERE processed_at IS NULL LIMIT \(limit)
        ) AS waiting
        """
    }

    /// Stores derived columns from a JSON array of `{id, dew_point, heat_index, wind_chill,
    /// beaufort, comfort}` and stamps `processed_at`. A row already processed with the same values
    /// is left alone (no new row version, the same `processed_at`), so processing again changes
    /// nothing. Returns the ids written.
    static func store(_ document: PostgresJSON) -> PostgresQuery {
        """
        UPDATE weather_searches AS w
        SET dew_point = d.dew_point, heat_index = d.heat_index, wind_chill = d.wind_chill,
            beaufort = d.beaufort, comfort = d.comfort, processed_at = now()
        FROM jsonb_to_recordset(\(document)) AS d(
            id bigint, dew_point double precision, heat_index double precision, wind_chill double precision,
            beaufort smallint, comfort text)
        WHERE w.id = d.id
          AND (w.processed_at IS NULL
               OR (w.dew_point, w.heat_index, w.wind_chill, w.beaufort, w.comfort)
                  IS DISTINCT FROM (d.dew_point, d.heat_index, d.wind_chill, d.beaufort, d.comfort))
        RETURNING w.id
        """
    }
}
