import HTTPClient

/// Why one notification was not delivered.
public enum NotificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The target is not in the current configuration (removed since the alert was raised).
    case notConfigured(NotificationTarget)
    /// The e-mail could not be handed to the SMTP server.
    case email(MailError)
    /// The webhook could not be reached (refused, timed out, TLS...).
    case webhookUnreachable(HTTPClientError)
    /// The webhook answered with a status that is not 2xx; `body` is the start of its answer.
    case webhookStatus(Int, body: String)

    /// Whether retrying cannot help: a target no longer configured, a refused or invalid
    /// e-mail (5xx), a webhook URL curl refuses, or a webhook answer of 3xx or 4xx other than
    /// 408, 425 and 429.
    public var isPermanent: Bool {
        switch self {
        case .notConfigured: true
        case .email(let error): error.isPermanent
        case .webhookUnreachable(.invalidURL): true
        case .webhookUnreachable: false
        case .webhookStatus(let status, _): status < 500 && ![408, 425, 429].contains(status)
        }
    }

    /// One line for logs and `weather_alert_notifications.last_error`.
    public var description: String {
        switch self {
        case .notConfigured(let target): "\(target) is no longer configured"
        case .email(let error): "\(error)"
        case .webhookUnreachable(let error): "webhook \(error)"
        case .webhookStatus(let status, let body): body.isEmpty ? "webhook answered \(status)" : "webhook answered \(status): \(body)"
        }
    }
}
