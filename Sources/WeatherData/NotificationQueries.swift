import Postgres

/// Named statements on `weather_alert_notifications`.
enum NotificationQueries {
    /// The columns `AlertNotificationRecord.init(row:)` reads.
    static let columns = "id, alert_id, channel, target, state, attempts, last_error, created_at, sent_at"

    /// Serialises senders across runs and hosts (session lock: taken before the first delivery,
    /// released after the last, never held inside a transaction).
    static let trySendLock: PostgresQuery = "SELECT pg_try_advisory_lock(hashtext('weather_alerts'), 2) AS locked"
    static let sendUnlock: PostgresQuery = "SELECT pg_advisory_unlock(hashtext('weather_alerts'), 2) AS unlocked"

    /// The next `limit` pending notifications after `after`, oldest first, with their alerts.
    static func pending(after: Int, limit: Int) -> PostgresQuery {
        """
        SELECT n.id, n.alert_id, n.channel, n.target, n.state, n.attempts, n.last_error, n.created_at, n.sent_at,
               a.search_id, a.city, a.country, a.kind, a.value, a.threshold, a.message, a.observed_at,
               a.created_at AS alert_created_at
        FROM weather_alert_notifications n JOIN weather_alerts a ON a.id = n.alert_id
        WHERE n.state = 'pending' AND n.id > \(after)
        ORDER BY n.id
        LIMIT \(limit)
        """
    }

    /// Records a delivery.
    static func recordSent(_ id: Int) -> PostgresQuery {
        """
        UPDATE weather_alert_notifications
        SET state = 'sent', attempts = attempts + 1, sent_at = now()
        WHERE id = \(id) AND state = 'pending'
        RETURNING state, attempts
        """
    }

    /// Records a failed attempt: failed when `permanent` or out of attempts, else still pending.
    static func recordFailure(_ id: Int, error: String, permanent: Bool, maxAttempts: Int) -> PostgresQuery {
        """
        UPDATE weather_alert_notifications
        SET attempts = attempts + 1, last_error = \(error),
            state = CASE WHEN \(permanent) OR attempts + 1 >= \(maxAttempts) THEN 'failed' ELSE 'pending' END
        WHERE id = \(id) AND state = 'pending'
        RETURNING state, attempts
        """
    }

    /// Gives up without an attempt (the target is no longer configured).
    static func giveUp(_ id: Int, reason: String) -> PostgresQuery {
        """
        UPDATE weather_alert_notifications SET state = 'failed', last_error = \(reason)
        WHERE id = \(id) AND state = 'pending'
        RETURNING state, attempts
        """
    }

    static func forAlert(_ alertID: Int) -> PostgresQuery {
        "SELECT \(unsafeRaw: columns) FROM weather_alert_notifications WHERE alert_id = \(alertID) ORDER BY id"
    }

    static let pendingCount: PostgresQuery = "SELECT count(*) AS pending FROM weather_alert_notifications WHERE state = 'pending'"
}
