import Postgres

/// Failed admin sign-ins, limited per user name and per client address within a window
/// (`AdminAuthPolicy`). Names that do not exist count too, so the limit says nothing about
/// which names do.
public enum LoginThrottle {
    /// Seconds until a sign-in for `username` from `address` may be tried again, or nil when it
    /// may be tried now. A refused try is not checked and not recorded.
    public static func retryAfter(username: String, address: String, policy: AdminAuthPolicy, on connection: PostgresConnection) throws -> Int? {
        let query = LoginThrottleQueries.wait(
            username: key(username), address: key(address), userLimit: policy.maxFailuresPerUser,
            addressLimit: policy.maxFailuresPerAddress, windowSeconds: policy.failureWindowSeconds)
        guard let seconds = try connection.query(query).first?.decode(Int?.self, "wait_seconds") else { return nil }
        return max(1, seconds)
    }

    /// Records a failed sign-in.
    public static func recordFailure(username: String, address: String, policy: AdminAuthPolicy, on connection: PostgresConnection) throws {
        _ = try connection.execute(
            LoginThrottleQueries.record(username: key(username), address: key(address), windowSeconds: policy.failureWindowSeconds))
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
