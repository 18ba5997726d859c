import AppSupport

/// Why a current-weather fetch failed. The cases stay distinct so the API layer can answer
/// 400 (``badInput(_:)``), 404 (``cityNotFound(city:country:)``), 502 or 504.
///
/// No case's text contains the API key.
public enum WeatherProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The city or country was rejected before any request (empty city, country not two letters...).
    case badInput(String)
    /// The configuration is unusable: the API key is missing, or the base URL makes no valid URL.
    case configuration(ConfigurationError)
    /// The provider refused the API key (401). A configuration problem; never retried.
    case invalidAPIKey
    /// The provider does not know the city (404); never retried.
    case cityNotFound(city: String, country: String?)
    /// The provider asked us to slow down (429) and still did after the retries; carries its last
    /// `Retry-After`, when it sent one in seconds.
    case rateLimited(retryAfter: Duration?)
    /// The provider failed (a 5xx status) on every attempt.
    case server(status: Int)
    /// Any other status the provider answered with (e.g. 400, 403), with its message; never retried.
    case unexpectedStatus(status: Int, message: String)
    /// The connect or total timeout ran out on every attempt.
    case timedOut
    /// The provider could not be reached: connection refused, DNS, TLS or another transport failure.
    case unreachable(String)
    /// The provider answered 200 but not with the expected JSON; says what is wrong. Never retried.
    case invalidResponse(String)
    /// The work was stopped by its cancellation check before it finished.
    case cancelled

    /// Whether trying again later may succeed: rate limiting, 5xx, timeouts and transport failures.
    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .server, .timedOut, .unreachable: true
        case .badInput, .configuration, .invalidAPIKey, .cityNotFound, .unexpectedStatus, .invalidResponse,
            .cancelled:
            false
        }
    }

    /// A one-line description for logs and API error messages.
    public var description: String {
        switch self {
        case .badInput(let problem):
            "bad input: \(problem)"
        case .configuration(let error):
            error.description
        case .invalidAPIKey:
            "the weather provider rejected the API key (check OPENWEATHER_API_KEY)"
        case .cityNotFound(let city, let country):
            "city not found: \(country.map { "\(city), \($0)" } ?? city)"
        case .rateLimited(let retryAfter):
            "the weather provider's rate limit was exceeded"
                + (retryAfter.map { " (retry after \($0.components.seconds) s)" } ?? "")
        case .server(let status):
            "the weather provider failed with status \(status)"
        case .unexpectedStatus(let status, let message):
            "the weather provider answered status \(status)" + (message.isEmpty ? "" : ": \(message)")
        case .timedOut:
            "the weather provider did not answer in time"
        case .unreachable(let message):
            "the weather provider is unreachable: \(message)"
        case .invalidResponse(let problem):
            "invalid response from the weather provider: \(problem)"
        case .cancelled:
            "cancelled"
        }
    }
}
