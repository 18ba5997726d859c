/// Why ``MailSender`` could not hand a message to the SMTP server.
public enum MailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message or the sender's settings are unusable (a bad address, no recipient, a URL
    /// that is not `smtp://` or `smtps://`); sending it again cannot help.
    case invalidMessage(String)
    /// The server answered with an SMTP error: `code` is its reply code (4xx: try again later;
    /// 5xx: refused, such as an unknown mailbox or bad credentials), `message` curl's text.
    case rejected(code: Int, message: String)
    /// No SMTP conversation: the host could not be resolved or reached, a timeout ran out, TLS
    /// failed, or the connection broke.
    case transport(HTTPClientError)

    /// Whether retrying cannot help: an invalid message or a 5xx refusal.
    public var isPermanent: Bool {
        switch self {
        case .invalidMessage: true
        case .rejected(let code, _): code >= 500
        case .transport: false
        }
    }

    /// A one-line description for logs and notification records.
    public var description: String {
        switch self {
        case .invalidMessage(let message): "invalid mail: \(message)"
        case .rejected(let code, let message): "SMTP server refused (\(code)): \(message)"
        case .transport(let error): "SMTP \(error)"
        }
    }
}
