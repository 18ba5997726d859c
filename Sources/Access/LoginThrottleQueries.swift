import Postgres

/// Statements on `admin_login_failures`.
enum LoginThrottleQueries {
    /// Records a sign-in try as a failure, prunes those older than the window, and says how
    /// long the try must wait (NULL: not at all), from the failures recorded before it: either
    /// key is blocked while it has `limit` failures in the window, until the `limit`-th newest
    /// of them leaves it. One statement, so tries running at once count each other unless they
    /// start within the same instant.
    static func begin(username: String, address: String, userLimit: Int, addressLimit: Int, windowSeconds: Int) -> PostgresQuery {
        let window = Double(windowSeconds)
        return """
            WITH pruned AS (
                DELETE FROM admin_login_failures WHERE failed_at < now() - make_interval(secs => \(window))
            ), attempt AS (
                INSERT INTO admin_login_failures (username, address) VALUES (\(username), \(address)) RETURNING id
            )
            SELECT (SELECT id FROM attempt) AS id,
                   ceil(extract(epoch FROM GREATEST(
                       (SELECT failed_at FROM admin_login_failures
                        WHERE username = \(username) AND failed_at > now() - make_interval(secs => \(window))
                        ORDER BY failed_at DESC OFFSET \(userLimit - 1) LIMIT 1),
                       (SELECT failed_at FROM admin_login_failures
                        WHERE address = \(address) AND failed_at > now() - make_interval(secs => \(window))
                        ORDER BY failed_at DESC OFFSET \(addressLimit - 1) LIMIT 1)
                   ) + make_interval(secs => \(window)) - now()))::bigint AS wait_seconds
            """
    }

    static func withdraw(id: Int) -> PostgresQuery {
        "DELETE FROM admin_login_failures WHERE id = \(id)"
    }

    static func clear(username: String) -> PostgresQuery {
        "DELETE FROM admin_login_failures WHERE username = \(username)"
    }
}
