import FoundationEssentials
import Postgres

/// Admin sessions: a random secret in the browser's cookie, only its SHA-256 in the database,
/// a CSRF token per session, an idle timeout and an absolute end (`AdminAuthPolicy`).
public enum AdminSessionStore {
    /// Starts a new session for `userID`: returns it with its secret (the cookie's value, which
    /// exists nowhere else) and its CSRF token.
    public static func create(
        userID: Int, policy: AdminAuthPolicy = AdminAuthPolicy(), on connection: PostgresConnection
    ) throws -> (session: AdminSession, secret: String, csrfToken: String) {
        let secret = RandomToken.generate()
        let csrfToken = RandomToken.generate()
        let query = AdminSessionQueries.insert(
            hash: RandomToken.hash(secret), userID: userID, csrfToken: csrfToken, lifetimeSeconds: policy.sessionLifetimeSeconds)
        guard let row = try connection.query(query).first else {
            throw PostgresError(kind: .usage, message: "the session row was not returned")
        }
        return (try AdminSession(row: row), secret, csrfToken)
    }

    /// The live session whose secret is `secret`, or nil (unknown, ended, idle too long, past
    /// its end, or its user disabled). Marks it used at most once a minute.
    public static func find(secret: String, policy: AdminAuthPolicy = AdminAuthPolicy(), on connection: PostgresConnection) throws
        -> AdminSession?
    {
        guard RandomToken.isWellFormed(secret) else { return nil }
        let query = AdminSessionQueries.find(hash: RandomToken.hash(secret), idleSeconds: policy.sessionIdleSeconds)
        return try connection.query(query).first.map(AdminSession.init(row:))
    }

    /// Ends the session (sign-out); false when it was not live.
    @discardableResult
    public static func end(secret: String, on connection: PostgresConnection) throws -> Bool {
        guard RandomToken.isWellFormed(secret) else { return false }
        return try !connection.query(AdminSessionQueries.end(hash: RandomToken.hash(secret))).isEmpty
    }

    /// Ends every session of the user; returns how many.
    @discardableResult
    public static func endAll(userID: Int, on connection: PostgresConnection) throws -> Int {
        try connection.query(AdminSessionQueries.endAll(userID: userID)).count
    }

    /// Deletes sessions that ended or expired more than `keepSeconds` ago; returns how many.
    @discardableResult
    public static func purge(keepSeconds: Int = 7 * 86400, on connection: PostgresConnection) throws -> Int {
        try connection.execute(AdminSessionQueries.purge(keepSeconds: keepSeconds))
    }
}

extension AdminSession {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(Int.self, "id"), userID: try row.decode(Int.self, "user_id"), username: try row.decode(String.self, "username"),
            csrfToken: try row.decode(String.self, "csrf_token"), createdAt: try row.decode(Date.self, "created_at"),
            lastSeenAt: try row.decode(Date.self, "last_seen_at"), expiresAt: try row.decode(Date.self, "expires_at"))
    }
}
