import FoundationEssentials
import Postgres

/// Reads pending alert notifications and records their outcomes.
public enum NotificationStore {
    /// The next `limit` pending notifications with ids above `after`, oldest first, with their
    /// alerts.
    public static func pending(after: Int = 0, limit: Int = 100, on connection: PostgresConnection) throws -> [PendingNotification] {
        try connection.query(NotificationQueries.pending(after: after, limit: max(1, limit))).map { row in
            PendingNotification(
                notification: try AlertNotificationRecord(row: row),
                alert: try WeatherAlert(row: row, idColumn: "alert_id", createdColumn: "alert_created_at"))
        }
    }

    /// Records that notification `id` was delivered (one more attempt, `sent`, `sent_at` now).
    /// - Returns: The state and attempts afterwards, or nil when it was no longer pending.
    @discardableResult
    public static func recordSent(_ id: Int, on connection: PostgresConnection) throws -> (state: NotificationState, attempts: Int)? {
        try outcome(connection.query(NotificationQueries.recordSent(id)))
    }

    /// Records a failed attempt of notification `id`: it stays pending for another try unless
    /// `permanent` or this was attempt `maxAttempts`, then it is `failed`.
    /// - Returns: The state and attempts afterwards, or nil when it was no longer pending.
    @discardableResult
    public static func recordFailure(
        _ id: Int, error: String, permanent: Bool, maxAttempts: Int, on connection: PostgresConnection
    ) throws -> (state: NotificationState, attempts: Int)? {
        try outcome(connection.query(NotificationQueries.recordFailure(id, error: error, permanent: permanent, maxAttempts: maxAttempts)))
    }

    /// Marks notification `id` failed without an attempt, with `reason` as its last error.
    @discardableResult
    public static func giveUp(_ id: Int, reason: String, on connection: PostgresConnection) throws -> (state: NotificationState, attempts: Int)? {
        try outcome(connection.query(NotificationQueries.giveUp(id, reason: reason)))
    }

    /// The notifications of alert `alertID`, oldest first.
    public static func notifications(ofAlert alertID: Int, on connection: PostgresConnection) throws -> [AlertNotificationRecord] {
        try connection.query(NotificationQueries.forAlert(alertID)).map(AlertNotificationRecord.init(row:))
    }

    /// How many notifications are pending in all.
    public static func pendingCount(on connection: PostgresConnection) throws -> Int {
        try connection.query(NotificationQueries.pendingCount).first?.decode(Int.self, "pending") ?? 0
    }

    /// Runs `body` holding the senders' lock, so two runs never deliver the same notification
    /// at once. The lock is a session advisory lock on `connection`, taken outside any
    /// transaction; while another session holds it, `pause` is called between tries (sleep
    /// there; throw to give up).
    public static func withSendingLock<Result>(
        on connection: PostgresConnection, pause: (Duration) throws -> Void, _ body: () throws -> Result
    ) throws -> Result {
        while try connection.query(NotificationQueries.trySendLock).first?.decode(Bool.self, "locked") != true {
            try pause(.milliseconds(100))
        }
        defer { _ = try? connection.query(NotificationQueries.sendUnlock) }
        return try body()
    }

    private static func outcome(_ rows: PostgresRows) throws -> (state: NotificationState, attempts: Int)? {
        guard let row = rows.first else { return nil }
        let text = try row.decode(String.self, "state")
        guard let state = NotificationState(rawValue: text) else {
            throw PostgresError(kind: .decoding, message: "unknown notification state \(text)")
        }
        return (state, try row.decode(Int.self, "attempts"))
    }
}

extension AlertNotificationRecord {
    /// Reads a row selected with `NotificationQueries.columns`.
    init(row: PostgresRow) throws {
        let text = try row.decode(String.self, "state")
        guard let state = NotificationState(rawValue: text) else {
            throw PostgresError(kind: .decoding, message: "unknown notification state \(text)")
        }
        self.init(
            id: try row.decode(Int.self, "id"), alertID: try row.decode(Int.self, "alert_id"),
            channel: try row.decode(String.self, "channel"), target: try row.decode(String.self, "target"), state: state,
            attempts: try row.decode(Int.self, "attempts"), lastError: try row.decode(String?.self, "last_error"),
            createdAt: try row.decode(Date.self, "created_at"), sentAt: try row.decode(Date?.self, "sent_at"))
    }
}
