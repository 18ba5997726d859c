import Postgres

/// Statements on `admin_sessions`.
enum AdminSessionQueries {
    static let columns = "s.id, s.user_id, u.username, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at"

    static func insert(hash: String, userID: Int, csrfToken: String, lifetimeSeconds: Int) -> PostgresQuery {
        """
        WITH s AS (
            INSERT INTO admin_sessions (token_hash, user_id, csrf_token, expires_at)
            VALUES (\(hash), \(userID), \(csrfToken), now() + make_interval(secs => \(Double(lifetimeSeconds))))
            RETURNING *
        )
        SELECT \(unsafeRaw: columns) FROM s JOIN admin_users u ON u.id = s.user_id
        """
    }

    /// The live session with this hash (not ended, not past its end, not idle for longer than
    /// `idleSeconds`, its user not disabled); refreshes `last_seen_at` at most once a minute, so
    /// a busy browser does not write on every page.
    static func find(hash: String, idleSeconds: Int) -> PostgresQuery {
        """
        WITH found AS (
            SELECT \(unsafeRaw: columns) FROM admin_sessions s JOIN admin_users u ON u.id = s.user_id
            WHERE s.token_hash = \(hash) AND s.ended_at IS NULL AND s.expires_at > now()
              AND s.last_seen_at > now() - make_interval(secs => \(Double(idleSeconds))) AND u.disabled_at IS NULL
        ), touched AS (
            UPDATE admin_sessions SET last_seen_at = now()
            WHERE id = (SELECT id FROM found) AND last_seen_at < now() - interval '60 seconds'
        )
        SELECT * FROM found
        """
    }

    static func end(hash: String) -> PostgresQuery {
        "UPDATE admin_sessions SET ended_at = now() WHERE token_hash = \(hash) AND ended_at IS NULL RETURNING id"
    }

    static func endAll(userID: Int) -> PostgresQuery {
        "UPDATE admin_sessions SET ended_at = now() WHERE user_id = \(userID) AND ended_at IS NULL RETURNING id"
    }

    /// Deletes sessions that ended or expired more than `keepSeconds` ago.
    static func purge(keepSeconds: Int) -> PostgresQuery {
        """
        DELETE FROM admin_sessions
        WHERE coalesce(ended_at, expires_at) < now() - make_interval(secs => \(Double(keepSeconds)))
        """
    }
}
