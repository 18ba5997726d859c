import Postgres

/// Named statements on `weather_alerts` and `task_cursors` for `send_weather_alerts`.
enum AlertQueries {
    /// The columns `WeatherAlert.init(row:)` reads.
    static let columns = "id, search_id, city, country, kind, value, threshold, message, observed_at, created_at"

    /// The highest search id now visible.
    static let searchHorizon: PostgresQuery = "SELECT coalesce(max(id), 0) AS horizon FROM weather_searches"

    /// The transactions (virtual ids) of other sessions that hold the lock every insert into
    /// `weather_searches` takes: rows they added are not visible yet, though their ids may be
    /// below the horizon. `pg_locks` covers the whole cluster, and databases made from one
    /// template share table OIDs, hence the database filter.
    static let searchWriters: PostgresQuery = """
        SELECT DISTINCT virtualtransaction FROM pg_locks
        WHERE locktype = 'relation' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND relation = 'weather_searches'::regclass AND mode = 'RowExclusiveLock' AND granted
          AND pid IS DISTINCT FROM pg_backend_pid()
        """

    /// How many of `writers` (virtual transaction ids) are still open.
    static func openWriters(_ writers: PostgresTextArray) -> PostgresQuery {
        """
        SELECT count(DISTINCT virtualtransaction) AS open FROM pg_locks
        WHERE virtualtransaction = ANY(\(writers)::text[]) AND locktype = 'relation'
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND relation = 'weather_searches'::regclass
        """
    }

    /// Serialises detection runs: held until the transaction ends.
    static let lockDetection: PostgresQuery = "SELECT pg_advisory_xact_lock(hashtext('weather_alerts'), 1)"

    /// Creates the cursor at 0 the first time.
    static func ensureCursor(_ name: String) -> PostgresQuery {
        "INSERT INTO task_cursors (name, position) VALUES (\(name), 0) ON CONFLICT (name) DO NOTHING"
    }

    static func cursor(_ name: String) -> PostgresQuery {
        "SELECT position FROM task_cursors WHERE name = \(name)"
    }

    static func advanceCursor(_ name: String, to position: Int) -> PostgresQuery {
        "UPDATE task_cursors SET position = \(position), updated_at = now() WHERE name = \(name)"
    }

    /// The last id and the count of the next `limit` searches after `after`, up to `horizon`.
    static func chunk(after: Int, horizon: Int, limit: Int) -> PostgresQuery {
        """
        SELECT coalesce(max(id), \(after)) AS upto, count(*) AS searches FROM (
            SELECT id FROM weather_searches WHERE id > \(after) AND id <= \(horizon) ORDER BY id LIMIT \(limit)
        ) s
        """
    }

    /// Raises the alerts of the searches with ids in (`after`, `upto`] and queues one pending
    /// notification per alert and target, in one statement. Returns one row per kind raised:
    /// `kind`, `alerts`, `notifications` (notifications queued in all).
    ///
    /// A search raises a candidate per rule it meets. A candidate is dropped when an alert of
    /// the same city (case-insensitive), country and kind has an `observed_at` less than
    /// `windowSeconds` away; among the batch's own candidates of one city and kind the earliest
    /// wins and the next one must come at least the window later (a recursive walk in time
    /// order), so the rule holds inside a batch too.
    static func detect(
        after: Int, upto: Int, thresholds: AlertThresholds, windowSeconds: Double, channels: PostgresTextArray,
        targets: PostgresTextArray
    ) -> PostgresQuery {
        """
        WITH RECURSIVE params AS (
            SELECT \(thresholds.heatC)::float8 AS heat, \(thresholds.coldC)::float8 AS cold, \(thresholds.windMS)::float8 AS wind,
                   \(AlertThresholds.thunderstormCodes.lowerBound)::int AS storm_low,
                   \(AlertThresholds.thunderstormCodes.upperBound)::int AS storm_high,
                   \(windowSeconds) * interval '1 second' AS repeat_window
        ), batch AS (
            SELECT id, city, country, temperature, wind_speed, condition_code, condition_description, searched_at,
                   CASE WHEN country = '' THEN city ELSE city || ', ' || country END AS place
            FROM weather_searches
            WHERE id > \(after) AND id <= \(upto)
        ), candidates AS (
            SELECT b.id AS search_id, b.city, b.country, k.kind, k.value, k.threshold, k.message, b.searched_at AS observed_at
            FROM batch b CROSS JOIN params p
            CROSS JOIN LATERAL (VALUES
                ('heat', b.temperature, p.heat, b.temperature >= p.heat,
                 format('Extreme heat in %s: %s °C (threshold %s °C)',
                        b.place, round(b.temperature::numeric, 1), round(p.heat::numeric, 1))),
                ('cold', b.temperature, p.cold, b.temperature <= p.cold,
                 format('Extreme cold in %s: %s °C (threshold %s °C)',
                        b.place, round(b.temperature::numeric, 1), round(p.cold::numeric, 1))),
                ('wind', b.wind_speed, p.wind, b.wind_speed >= p.wind,
                 format('High wind in %s: %s m/s (threshold %s m/s)',
                        b.place, round(b.wind_speed::numeric, 1), round(p.wind::numeric, 1))),
                ('thunderstorm', b.condition_code::float8, p.storm_low::float8, b.condition_code BETWEEN p.storm_low AND p.storm_high,
                 format('Thunderstorm in %s: %s (condition %s)',
                        b.place, coalesce(nullif(b.condition_description, ''), 'thunderstorm'), b.condition_code))
            ) AS k(kind, value, threshold, hit, message)
            WHERE k.hit
        ), fresh AS (
            SELECT c.* FROM candidates c CROSS JOIN params p
            WHERE NOT EXISTS (
                SELECT 1 FROM weather_alerts a
                WHERE lower(a.city) = lower(c.city) AND a.country = c.country AND a.kind = c.kind
                  AND a.observed_at > c.observed_at - p.repeat_window AND a.observed_at < c.observed_at + p.repeat_window)
        ), firsts AS (
            SELECT DISTINCT ON (lower(city), country, kind) *
            FROM fresh
            ORDER BY lower(city), country, kind, observed_at, search_id
        ), chosen AS (
            SELECT * FROM firsts
            UNION ALL
            SELECT n.* FROM chosen previous
            CROSS JOIN LATERAL (
                SELECT f.* FROM fresh f
                WHERE lower(f.city) = lower(previous.city) AND f.country = previous.country AND f.kind = previous.kind
                  AND f.observed_at >= previous.observed_at + (SELECT repeat_window FROM params)
                ORDER BY f.observed_at, f.search_id
                LIMIT 1
            ) n
        ), inserted AS (
            INSERT INTO weather_alerts (search_id, city, country, kind, value, threshold, message, observed_at)
            SELECT search_id, city, country, kind, value, threshold, message, observed_at FROM chosen
            ORDER BY observed_at, search_id
            RETURNING id, kind
        ), notified AS (
            INSERT INTO weather_alert_notifications (alert_id, channel, target)
            SELECT i.id, t.channel, t.target
            FROM inserted i CROSS JOIN unnest(\(channels)::text[], \(targets)::text[]) AS t(channel, target)
            ON CONFLICT (alert_id, channel, target) DO NOTHING
            RETURNING id
        )
        SELECT kind, count(*) AS alerts, (SELECT count(*) FROM notified) AS notifications
        FROM inserted GROUP BY kind
        """
    }

    /// Alerts newest first, before the alert `before` (exclusive) when given.
    static func recent(limit: Int, before: Int?) -> PostgresQuery {
        """
        SELECT \(unsafeRaw: columns) FROM weather_alerts
        WHERE \(before)::bigint IS NULL OR id < \(before)
        ORDER BY id DESC
        LIMIT \(limit)
        """
    }

    static func byID(_ id: Int) -> PostgresQuery {
        "SELECT \(unsafeRaw: columns) FROM weather_alerts WHERE id = \(id)"
    }
}
