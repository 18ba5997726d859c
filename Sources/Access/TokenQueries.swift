import Postgres

/// Statements on `api_tokens`.
enum TokenQueries {
    static let columns = "id, name, prefix, created_at, last_used_at, revoked_at"

    static func insert(name: String, hash: String, prefix: String) -> PostgresQuery {
        "INSERT INTO api_tokens (name, token_hash, prefix) VALUES (\(name), \(hash), \(prefix)) RETURNING \(unsafeRaw: columns)"
    }

    static func list(includeRevoked: Bool) -> PostgresQuery {
        "SELECT \(unsafeRaw: columns) FROM api_tokens WHERE \(includeRevoked) OR revoked_at IS NULL ORDER BY name, id"
    }

    static func revoke(name: String) -> PostgresQuery {
        "UPDATE api_tokens SET revoked_at = now() WHERE name = \(name) AND revoked_at IS NULL RETURNING id"
    }

    /// The live token with this hash; refreshes `last_used_at` at most once a minute, so a busy
    /// client does not write on every request.
    static func authenticate(hash: String) -> PostgresQuery {
        """
        WITH token AS (SELECT \(unsafeRaw: columns) FROM api_tokens WHERE token_hash = \(hash) AND revoked_at IS NULL),
        touched AS (
            UPDATE api_tokens SET last_used_at = now()
            WHERE id = (SELECT id FROM token) AND (last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')
        )
        SELECT * FROM token
        """
    }
}
