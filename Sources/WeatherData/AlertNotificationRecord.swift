import AppSupport
import FoundationEssentials

/// Where a notification stands (`weather_alert_notifications.state`).
public enum NotificationState: String, Sendable, CaseIterable {
    /// Not delivered yet; the next `send_weather_alerts` run tries it.
    case pending
    /// Delivered.
    case sent
    /// Given up: out of attempts, or an error retrying cannot fix.
    case failed
}

/// One notification of an alert to one target, and its outcome (`weather_alert_notifications`).
public struct AlertNotificationRecord: Sendable, Equatable {
    /// The row id.
    public var id: Int
    /// The alert it tells about.
    public var alertID: Int
    /// `email` or `webhook`.
    public var channel: String
    /// The recipient's address, or the webhook URL without secrets.
    public var target: String
    /// Where it stands.
    public var state: NotificationState
    /// Delivery attempts so far.
    public var attempts: Int
    /// The last failure, if any (kept after a later success).
    public var lastError: String?
    /// When it was created.
    public var createdAt: Date
    /// When it was delivered.
    public var sentAt: Date?

    /// Creates a value from its fields.
    public init(
        id: Int, alertID: Int, channel: String, target: String, state: NotificationState, attempts: Int, lastError: String?,
        createdAt: Date, sentAt: Date?
    ) {
        self.id = id
        self.alertID = alertID
        self.channel = channel
        self.target = target
        self.state = state
        self.attempts = attempts
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }

    /// The JSON form (snake_case).
    public var json: JSONValue {
        [
            "id": .int(id), "alert_id": .int(alertID), "channel": .string(channel), "target": .string(target),
            "state": .string(state.rawValue), "attempts": .int(attempts), "last_error": lastError.map { .string($0) } ?? .null,
            "created_at": .string(Timestamps.iso8601(createdAt)), "sent_at": sentAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
        ]
    }
}

/// A pending notification with the alert it tells about, ready to deliver.
public struct PendingNotification: Sendable, Equatable {
    /// The notification.
    public var notification: AlertNotificationRecord
    /// Its alert.
    public var alert: WeatherAlert

    /// Creates a value.
    public init(notification: AlertNotificationRecord, alert: WeatherAlert) {
        self.notification = notification
        self.alert = alert
    }
}
