/// Why ``HTTPClient`` could not get a response. HTTP error statuses (404, 500, ...) are not errors:
/// they arrive as an ``HTTPResponse``.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL is malformed or not `http://` / `https://`; carries the URL.
    case invalidURL(String)
    /// The host name could not be resolved; carries curl's message.
    case couldNotResolveHost(String)
    /// No connection could be made to the host (refused or unreachable); carries curl's message.
    case connectionRefused(String)
    /// The connect timeout or the total timeout ran out; carries curl's message.
    case timedOut(String)
    /// TLS failed: handshake, certificate verification or TLS setup; carries curl's message.
    case tls(String)
    /// The response body exceeded the client's `maxResponseBytes`.
    case responseTooLarge(limit: Int)
    /// Any other failure: `code` is libcurl's `CURLcode`, `message` its error text.
    case transport(code: Int, message: String)

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid URL: \(url)"
        case .couldNotResolveHost(let message): "could not resolve host: \(message)"
        case .connectionRefused(let message): "connection refused: \(message)"
        case .timedOut(let message): "timed out: \(message)"
        case .tls(let message): "TLS error: \(message)"
        case .responseTooLarge(let limit): "response larger than \(limit) bytes"
        case .transport(let code, let message): "transport error \(code): \(message)"
        }
    }
}
