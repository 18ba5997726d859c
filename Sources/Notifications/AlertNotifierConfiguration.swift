import AppSupport
import FoundationEssentials
import HTTPClient

/// Where alerts are sent and how hard to try, read from the environment.
///
/// E-mail is configured when `ALERT_EMAIL_TO` is set (then `ALERT_EMAIL_FROM` and `SMTP_URL` are
/// required), the webhook when `ALERT_WEBHOOK_URL` is set; neither is needed. Every bad value is
/// a ``ConfigurationError`` naming its variable. The ``description`` never shows the SMTP
/// password or the webhook URL's secrets.
public struct AlertNotifierConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// The e-mail recipients (`ALERT_EMAIL_TO`, comma-separated); empty when e-mail is off.
    public var emailRecipients: [String]
    /// The sender's address (`ALERT_EMAIL_FROM`).
    public var emailFrom: String?
    /// The SMTP server (`SMTP_URL`, `SMTP_USERNAME`, `SMTP_PASSWORD`, `SMTP_STARTTLS`,
    /// `SMTP_CA_FILE`); nil when e-mail is off.
    public var mailServer: MailServer?
    /// The webhook's URL (`ALERT_WEBHOOK_URL`), or nil.
    public var webhookURL: String?
    /// The longest time one notification may take (`ALERT_NOTIFY_TIMEOUT`, seconds).
    public var timeout: Duration
    /// Attempts per notification before it is marked failed (`ALERT_NOTIFY_MAX_ATTEMPTS`).
    public var maxAttempts: Int

    /// The default of ``timeout``.
    public static let defaultTimeout: Duration = .seconds(10)
    /// The default of ``maxAttempts``.
    public static let defaultMaxAttempts = 5

    /// Creates a configuration directly (tests, tools).
    public init(
        emailRecipients: [String] = [], emailFrom: String? = nil, mailServer: MailServer? = nil, webhookURL: String? = nil,
        timeout: Duration = AlertNotifierConfiguration.defaultTimeout,
        maxAttempts: Int = AlertNotifierConfiguration.defaultMaxAttempts
    ) {
        self.emailRecipients = emailRecipients
        self.emailFrom = emailFrom
        self.mailServer = mailServer
        self.webhookURL = webhookURL
        self.timeout = timeout
        self.maxAttempts = max(1, maxAttempts)
    }

    /// Reads `ALERT_EMAIL_TO`, `ALERT_EMAIL_FROM`, `SMTP_URL`, `SMTP_USERNAME`, `SMTP_PASSWORD`,
    /// `SMTP_STARTTLS`, `SMTP_CA_FILE`, `ALERT_WEBHOOK_URL`, `ALERT_NOTIFY_TIMEOUT` and
    /// `ALERT_NOTIFY_MAX_ATTEMPTS`.
    /// - Throws: ``ConfigurationError`` naming the first variable that is wrong or missing.
    public init(environment: Environment) throws(ConfigurationError) {
        let timeoutSeconds = try Self.integer(environment, "ALERT_NOTIFY_TIMEOUT", default: 10, range: 1...300)
        timeout = .seconds(timeoutSeconds)
        maxAttempts = try Self.integer(environment, "ALERT_NOTIFY_MAX_ATTEMPTS", default: Self.defaultMaxAttempts, range: 1...100)

        if let list = environment.string("ALERT_EMAIL_TO") {
            let recipients = list.split(separator: ",").map { String($0).trimmingASCIISpaces }.filter { !$0.isEmpty }
            guard !recipients.isEmpty else {
                throw ConfigurationError(variable: "ALERT_EMAIL_TO", problem: "must list at least one address, got \"\(list)\"")
            }
            for address in recipients where !MailMessage.isValidAddress(address) {
                throw ConfigurationError(variable: "ALERT_EMAIL_TO", problem: "has an invalid address \"\(address)\" (want name@domain, comma-separated)")
            }
            emailRecipients = Array(Set(recipients)).sorted()
            guard let from = environment.string("ALERT_EMAIL_FROM")?.trimmingASCIISpaces else {
                throw ConfigurationError(variable: "ALERT_EMAIL_FROM", problem: "is not set (the sender of alert e-mails, needed with ALERT_EMAIL_TO)")
            }
            guard MailMessage.isValidAddress(from) else {
                throw ConfigurationError(variable: "ALERT_EMAIL_FROM", problem: "must be an address such as alerts@example.com, got \"\(from)\"")
            }
            emailFrom = from
            guard let url = environment.string("SMTP_URL") else {
                throw ConfigurationError(variable: "SMTP_URL", problem: "is not set (e.g. smtp://mail.example.com:587, needed with ALERT_EMAIL_TO)")
            }
            guard MailServer.isValidURL(url) else {
                throw ConfigurationError(
                    variable: "SMTP_URL", problem: "must be smtp://host[:port] or smtps://host[:port] without user information, got \"\(url)\"")
            }
            let username = environment.string("SMTP_USERNAME")
            let password = environment.string("SMTP_PASSWORD")
            if password != nil, username == nil {
                throw ConfigurationError(variable: "SMTP_USERNAME", problem: "is not set but SMTP_PASSWORD is")
            }
            let startTLS: MailStartTLS
            if let text = environment.string("SMTP_STARTTLS") {
                guard let mode = MailStartTLS(rawValue: text.lowercased()) else {
                    throw ConfigurationError(variable: "SMTP_STARTTLS", problem: "must be off, try or require, got \"\(text)\"")
                }
                startTLS = mode
            } else {
                startTLS = .opportunistic
            }
            let caFile = environment.string("SMTP_CA_FILE")
            if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                throw ConfigurationError(variable: "SMTP_CA_FILE", problem: "is not a readable file: \(caFile)")
            }
            mailServer = MailServer(
                url: url, username: username, password: password, startTLS: startTLS, caFile: caFile,
                connectTimeout: .seconds(min(timeoutSeconds, 10)), totalTimeout: timeout)
        } else {
            emailRecipients = []
            emailFrom = nil
            mailServer = nil
        }

        if let url = environment.string("ALERT_WEBHOOK_URL") {
            let lowered = url.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), url.count > 8,
                !url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F })
            else {
                throw ConfigurationError(variable: "ALERT_WEBHOOK_URL", problem: "must be an http:// or https:// URL, got \"\(NotificationTarget.redactedURL(url))\"")
            }
            webhookURL = url
        } else {
            webhookURL = nil
        }
    }

    /// Whether any channel is configured.
    public var isConfigured: Bool { !targets.isEmpty }

    /// Every target an alert goes to: one per e-mail recipient, then the webhook.
    public var targets: [NotificationTarget] {
        var out = emailRecipients.map { NotificationTarget(channel: .email, address: $0) }
        if let webhookURL { out.append(NotificationTarget(channel: .webhook, address: NotificationTarget.redactedURL(webhookURL))) }
        return out
    }

    /// The channels and targets, without secrets.
    public var description: String {
        targets.isEmpty ? "notifications not configured" : targets.map(\.description).joined(separator: ", ")
    }

    private static func integer(
        _ environment: Environment, _ name: String, default value: Int, range: ClosedRange<Int>
    ) throws(ConfigurationError) -> Int {
        do {
            return try environment.integer(name, default: value, range: range)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(variable: name, problem: "\(error)")
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingASCIISpaces: String {
        let bytes = Array(utf8)
        guard let start = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
            let end = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
        else { return "" }
        return String(decoding: bytes[start...end], as: UTF8.self)
    }
}
