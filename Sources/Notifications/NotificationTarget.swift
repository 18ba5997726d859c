/// How an alert is delivered.
public enum NotificationChannel: String, Sendable, CaseIterable {
    /// An e-mail through the SMTP server (`SMTP_URL`).
    case email
    /// A JSON `POST` to `ALERT_WEBHOOK_URL`.
    case webhook
}

/// One place an alert goes: an e-mail recipient, or the webhook. Recorded with every
/// notification (`weather_alert_notifications.channel` and `.target`).
public struct NotificationTarget: Sendable, Hashable, CustomStringConvertible {
    /// The channel.
    public var channel: NotificationChannel
    /// The recipient's address for e-mail; for a webhook its URL without user information,
    /// query or fragment (see ``redactedURL(_:)``), so no secret is stored or shown.
    public var address: String

    /// Creates a target.
    public init(channel: NotificationChannel, address: String) {
        self.channel = channel
        self.address = address
    }

    /// `email:ops@example.com`, `webhook:https://hooks.example.com/alerts`.
    public var description: String { "\(channel.rawValue):\(address)" }

    /// `url` without user information (`user:password@`), query and fragment, where secrets
    /// usually sit: `https://u:p@host/path?token=x` becomes `https://host/path`.
    public static func redactedURL(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return url }
        var rest = url[schemeEnd.upperBound...]
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        return String(url[..<schemeEnd.upperBound]) + authority + rest[authorityEnd...]
    }
}
