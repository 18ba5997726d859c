import Postgres

/// Statements on `admin_login_failures`.
enum LoginThrottleQueries {
    /// Seconds until a sign-in for `username` from `address` is allowed again, or NULL when it
    /// is now. Either key is blocked while it has `limit` failures in the window: until the
    /// `limit`-th newest of them leaves the window.
    static func wait(username: String, address: String, userLimit: Int, addressLimit: Int, windowSeconds: Int) -> PostgresQuery {
        let window = Double(windowSeconds)
        return """
            SELECT ceil(extract(epoch FROM GREATEST(
                (SELECT failed_at FROM admin_login_failures
                 WHERE username = \(username) AND failed_at > now() - make_interval(secs => \(window))
                 ORDER BY failed_at DESC OFFSET \(userLimit - 1) LIMIT 1),
                (SELECT failed_at FROM admin_login_failures
                 WHERE address = \(address) AND failed_at > now() - make_interval(secs => \(window))
                 ORDER BY failed_at DESC OFFSET \(addressLimit - 1) LIMIT 1)
            ) + make_interval(secs => \(window)) - now()))::bigint AS wait_seconds
            """
    }

    /// Records a failure and prunes those older than the window, in one statement.
    static func record(username: String, address: String, windowSeconds: Int) -> PostgresQuery {
        """
        WITH pruned AS (
            DELETE FROM admin_login_failures WHERE failed_at < now() - make_interval(secs => \(Double(windowSeconds)))
        )
        INSERT INTO admin_login_failures (username, address) VALUES (\(username), \(address))
        """
    }

    static func clear(username: String) -> PostgresQuery {
        "DELETE FROM admin_login_failures WHERE username = \(username)"
    }
}
