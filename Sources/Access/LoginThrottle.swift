import Postgres

/// Failed admin sign-ins, limited per user name and per client address within a window
/// (`AdminAuthPolicy`). Names that do not exist count too, so the limit says nothing about
/// which names do.
public enum LoginThrottle {
    /// Starts a sign-in try: records it as a failure at once (so tries running in parallel count
    /// each other while their passwords are checked), and says whether it may go on. A try that
    /// must wait is `withdraw`n (a refused try is not recorded); one that succeeds is `clear`ed
    /// with the name's other failures; one that fails stays recorded.
    public static func begin(username: String, address: String, policy: AdminAuthPolicy, on connection: PostgresConnection) throws -> LoginAttempt {
        let query = LoginThrottleQueries.begin(
            username: key(username), address: key(address), userLimit: policy.maxFailuresPerUser,
            addressLimit: policy.maxFailuresPerAddress, windowSeconds: policy.failureWindowSeconds)
        guard let row = try connection.query(query).first else {
            throw PostgresError(kind: .usage, message: "recording a sign-in try returned no row")
        }
        let wait = try row.decode(Int?.self, "wait_seconds")
        return LoginAttempt(id: try row.decode(Int.self, "id"), retryAfter: wait.map { max(1, $0) })
    }

    /// Takes back a try that was refused before its password was checked.
    public static func withdraw(_ attempt: LoginAttempt, on connection: PostgresConnection) throws {
        _ = try connection.execute(LoginThrottleQueries.withdraw(id: attempt.id))
    }

    /// Forgets the failures recorded for `username` (after it signed in); the address's stay.
    public static func clear(username: String, on connection: PostgresConnection) throws {
        _ = try connection.execute(LoginThrottleQueries.clear(username: key(username)))
    }

    /// A user name or address as stored: lowercased, at most 64 characters.
    static func key(_ text: String) -> String {
        String(text.lowercased().prefix(64))
    }
}

/// A sign-in try in progress (`LoginThrottle.begin`).
public struct LoginAttempt: Sendable {
    /// Its row in `admin_login_failures`.
    public let id: Int
    /// Seconds until the name or address may try again, or nil when this try may go on.
    public let retryAfter: Int?
}
