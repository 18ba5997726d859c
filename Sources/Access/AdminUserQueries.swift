import Postgres

/// Statements on `admin_users`.
enum AdminUserQueries {
    static let columns = """
        id, username, created_at, password_changed_at, last_login_at, disabled_at,
        (SELECT count(*) FROM admin_sessions s WHERE s.user_id = admin_users.id AND s.ended_at IS NULL AND s.expires_at > now()) AS open_sessions
        """

    static func insert(username: String, hash: String) -> PostgresQuery {
        "INSERT INTO admin_users (username, password_hash) VALUES (\(username), \(hash)) RETURNING \(unsafeRaw: columns)"
    }

    static func list() -> PostgresQuery {
        "SELECT \(unsafeRaw: columns) FROM admin_users ORDER BY lower(username), id"
    }

    static func find(username: String) -> PostgresQuery {
        "SELECT \(unsafeRaw: columns) FROM admin_users WHERE lower(username) = lower(\(username))"
    }

    /// What sign-in needs: the id, the name as stored, the hash and whether it is disabled.
    static func credentials(username: String) -> PostgresQuery {
        "SELECT id, username, password_hash, disabled_at IS NOT NULL AS disabled FROM admin_users WHERE lower(username) = lower(\(username))"
    }

    /// Sessions go with the user (`ON DELETE CASCADE`).
    static func delete(username: String) -> PostgresQuery {
        "DELETE FROM admin_users WHERE lower(username) = lower(\(username)) RETURNING id"
    }

    /// Sets the hash and ends every session of the user, in one statement.
    static func setPassword(username: String, hash: String) -> PostgresQuery {
        """
        WITH changed AS (
            UPDATE admin_users SET password_hash = \(hash), password_changed_at = now()
            WHERE lower(username) = lower(\(username)) RETURNING id
        ), ended AS (
            UPDATE admin_sessions SET ended_at = now() WHERE user_id IN (SELECT id FROM changed) AND ended_at IS NULL RETURNING id
        )
        SELECT (SELECT id FROM changed) AS id, (SELECT count(*) FROM ended) AS ended
        """
    }

    /// Disables (ending every session) or enables the user.
    static func setDisabled(username: String, disabled: Bool) -> PostgresQuery {
        """
        WITH changed AS (
            UPDATE admin_users SET disabled_at = CASE WHEN \(disabled) THEN coalesce(disabled_at, now()) END
            WHERE lower(username) = lower(\(username)) RETURNING id
        ), ended AS (
            UPDATE admin_sessions SET ended_at = now()
            WHERE \(disabled) AND user_id IN (SELECT id FROM changed) AND ended_at IS NULL RETURNING id
        )
        SELECT (SELECT id FROM changed) AS id, (SELECT count(*) FROM ended) AS ended
        """
    }

    static func recordLogin(id: Int) -> PostgresQuery {
        "UPDATE admin_users SET last_login_at = now() WHERE id = \(id)"
    }
}
