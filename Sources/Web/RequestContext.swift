import Postgres

/// What one responder thread keeps between requests: its database connection, opened on first
/// use and reopened when broken. Not `Sendable`: it never leaves its thread.
public final class RequestContext {
    private let databaseURL: String?
    private var connection: PostgresConnection?
    /// The last health figures this thread read, and when (see `HealthRoutes`).
    var healthFigures: (queueDepth: Int, liveWorkers: Int, schemaVersion: Int, readAt: ContinuousClock.Instant)?

    /// A context whose connection will use `databaseURL` (nil: no database configured).
    public init(databaseURL: String?) {
        self.databaseURL = databaseURL
    }

    /// The thread's connection, opened now if needed. Connection failures throw
    /// `PostgresError` (kind `.connection`), which the application turns into a 503.
    public func database() throws -> PostgresConnection {
        if let connection { return connection }
        guard let databaseURL else {
            throw PostgresError(kind: .configuration, message: "DATABASE_URL is not set")
        }
        let opened = try PostgresConnection(conninfo: databaseURL, applicationName: "fcgiapp", connectNow: false)
        connection = opened
        return opened
    }
}
