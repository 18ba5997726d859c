import AppSupport
import HTTPClient

/// Delivers alert notices to the configured targets: e-mail through ``MailSender``, webhooks
/// as a JSON `POST` through ``HTTPClient``.
///
/// It creates its SMTP sender and HTTP client on first use and keeps them, so one run reuses
/// their connections. Blocking and not `Sendable`: use it on one thread (a task's worker thread).
public final class AlertNotifier {
    /// The configuration.
    public let configuration: AlertNotifierConfiguration

    private var mailSender: MailSender?
    private var httpClient: HTTPClient?

    /// A notifier for `configuration`; nothing is opened until the first delivery.
    public init(configuration: AlertNotifierConfiguration) {
        self.configuration = configuration
    }

    /// Sends `notice` to `target`.
    /// - Throws: ``NotificationError``: ``NotificationError/notConfigured(_:)`` when `target` is
    ///   not among the configuration's targets; the channel's failure otherwise.
    public func deliver(_ notice: AlertNotice, to target: NotificationTarget) throws(NotificationError) {
        guard configuration.targets.contains(target) else { throw .notConfigured(target) }
        switch target.channel {
        case .email: try sendEmail(notice, to: target.address)
        case .webhook: try postWebhook(notice)
        }
    }

    private func sendEmail(_ notice: AlertNotice, to recipient: String) throws(NotificationError) {
        guard let server = configuration.mailServer, let from = configuration.emailFrom else {
            throw .notConfigured(NotificationTarget(channel: .email, address: recipient))
        }
        do throws(MailError) {
            let sender: MailSender
            if let existing = mailSender {
                sender = existing
            } else {
                sender = try MailSender(server: server)
                mailSender = sender
            }
            try sender.send(
                MailMessage(
                    from: from, fromName: "Weather alerts", to: [recipient], subject: notice.emailSubject, body: notice.emailBody,
                    messageID: "alert-\(notice.alertID).\(Self.randomToken())@\(Self.domain(of: from))"))
        } catch {
            throw .email(error)
        }
    }

    private func postWebhook(_ notice: AlertNotice) throws(NotificationError) {
        guard let url = configuration.webhookURL else {
            throw .notConfigured(NotificationTarget(channel: .webhook, address: ""))
        }
        let response: HTTPResponse
        do throws(HTTPClientError) {
            let client: HTTPClient
            if let existing = httpClient {
                client = existing
            } else {
                client = try HTTPClient(maxResponseBytes: 1 << 20)
                httpClient = client
            }
            response = try client.perform(
                HTTPRequest(
                    method: .post, url: url,
                    headers: [
                        ("Content-Type", "application/json"), ("Accept", "application/json, */*"),
                        ("X-Weather-Alert-Id", String(notice.alertID)),
                    ],
                    body: notice.json.bytes, connectTimeout: min(configuration.timeout, .seconds(10)),
                    totalTimeout: configuration.timeout))
        } catch {
            throw .webhookUnreachable(error)
        }
        guard (200...299).contains(response.status) else {
            throw .webhookStatus(response.status, body: String(response.bodyText.prefix(200)).filter { $0 != "\r" && $0 != "\n" })
        }
    }

    private static func domain(of address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return "localhost" }
        return String(address[address.index(after: at)...])
    }

    private static func randomToken() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }
}

@available(*, unavailable, message: "AlertNotifier blocks its thread; use one per thread")
extension AlertNotifier: Sendable {}
