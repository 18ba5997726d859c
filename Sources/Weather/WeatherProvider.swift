import AppSupport
import HTTPClient

/// A client of OpenWeather's current-weather API (`GET {base}/data/2.5/weather?q={city},{country}&appid={key}&units=metric`).
///
/// **Threads.** Like the ``HTTPClient`` it owns (one curl handle, keep-alive), a provider is not
/// `Sendable`: create one per thread and call it from that thread only, never from Swift's
/// cooperative pool, since ``current(city:country:isCancelled:)`` blocks while it waits for the
/// network and between retries.
///
/// **Failures.** 401 (``WeatherProviderError/invalidAPIKey``), 404
/// (``WeatherProviderError/cityNotFound(city:country:)``), other 4xx and unexpected bodies fail at
/// once. 429, 5xx, timeouts and transport failures are retried up to
/// ``WeatherProviderConfiguration/maxRetries`` times, waiting the server's `Retry-After` (seconds)
/// when it sends one, or else an exponential backoff with jitter; either wait is capped at
/// ``WeatherProviderConfiguration/maxRetryDelay``. No error text contains the API key.
public final class WeatherProvider {
    /// The settings this provider uses.
    public let configuration: WeatherProviderConfiguration

    private let client: HTTPClient
    private let rateLimiter: RateLimiter?
    private let sleep: (Duration) -> Void
    private let retryPolicy: RetryPolicy
    private let redaction: Redaction

    /// Creates a provider with its own HTTP client.
    /// - Parameters:
    ///   - configuration: Where and how to fetch.
    ///   - rateLimiter: The shared request budget; every HTTP attempt (retries included) takes a
    ///     grant first. `nil` for none.
    ///   - sleep: Blocks for the wait before a retry; a real thread sleep by default. Tests inject
    ///     a recorder here.
    /// - Throws: ``WeatherProviderError/unreachable(_:)`` when libcurl cannot be initialized.
    public init(
        configuration: WeatherProviderConfiguration,
        rateLimiter: RateLimiter? = nil,
        sleep: @escaping (Duration) -> Void = { SystemClock().sleep(for: $0) }
    ) throws(WeatherProviderError) {
        do {
            client = try HTTPClient(maxResponseBytes: 1 << 20)
        } catch {
            throw .unreachable("cannot initialize the HTTP client: \(error)")
        }
        self.configuration = configuration
        self.rateLimiter = rateLimiter
        self.sleep = sleep
        retryPolicy = RetryPolicy(baseDelay: configuration.retryBaseDelay, maxDelay: configuration.maxRetryDelay)
        redaction = Redaction(secret: configuration.apiKey)
    }

    /// Fetches the current weather of a city, in metric units. Blocks the calling thread.
    /// - Parameters:
    ///   - city: The city name, e.g. `"São Paulo"`; surrounding whitespace is ignored.
    ///   - country: A two-letter country code, e.g. `"BR"`, or `nil` to search by name only.
    ///   - isCancelled: Checked before each attempt and while waiting for the rate limiter; when it
    ///     returns `true` the fetch stops with ``WeatherProviderError/cancelled``.
    /// - Returns: The weather, decoded.
    /// - Throws: ``WeatherProviderError``: `badInput` (before any request), `configuration` (no
    ///   API key), or the outcome of the last attempt.
    public func current(
        city: String, country: String?, isCancelled: () -> Bool = { false }
    ) throws(WeatherProviderError) -> CurrentWeather {
        let query = try CityQuery(city: city, country: country).validated()
        let url = try requestURL(for: query)
        var retries = 0
        while true {
            if isCancelled() { throw .cancelled }
            if let rateLimiter, !rateLimiter.acquire(isCancelled: isCancelled) { throw .cancelled }
            let failure: Failure
            switch attempt(url: url, query: query) {
            case .success(let weather): return weather
            case .failure(let error): failure = error
            }
            guard failure.error.isRetryable, retries < configuration.maxRetries else { throw failure.error }
            sleep(retryPolicy.delay(beforeRetry: retries, retryAfter: failure.retryAfter))
            retries += 1
        }
    }

    /// The request URL for a validated query (it contains the API key: never log it).
    func requestURL(for query: CityQuery) throws(WeatherProviderError) -> String {
        guard let key = configuration.apiKey, !key.isEmpty else {
            throw .configuration(
                ConfigurationError(variable: "OPENWEATHER_API_KEY", problem: "is not set (needed to fetch weather)"))
        }
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        var q = PercentEncoding.encodeQueryValue(query.city)
        if let country = query.country { q += "," + PercentEncoding.encodeQueryValue(country) }
        return base + "/data/2.5/weather?q=" + q + "&appid=" + PercentEncoding.encodeQueryValue(key) + "&units=metric"
    }

    /// A failed attempt, with the server's `Retry-After` if it sent one.
    private struct Failure: Error {
        var error: WeatherProviderError
        var retryAfter: Duration? = nil
    }

    /// One HTTP request and the mapping of its outcome.
    private func attempt(url: String, query: CityQuery) -> Result<CurrentWeather, Failure> {
        let request = HTTPRequest(
            url: url, headers: [("Accept", "application/json")],
            connectTimeout: configuration.connectTimeout, totalTimeout: configuration.totalTimeout)
        let response: HTTPResponse
        do {
            response = try client.perform(request)
        } catch {
            return .failure(Failure(error: map(error)))
        }
        let retryAfter = RetryPolicy.parseRetryAfter(response.header("Retry-After"))
        switch response.status {
        case 200:
            do {
                return .success(try CurrentWeather(openWeatherJSON: response.body, fallbackCountry: query.country))
            } catch {
                return .failure(Failure(error: redacted(error)))
            }
        case 401:
            return .failure(Failure(error: .invalidAPIKey))
        case 404:
            return .failure(Failure(error: .cityNotFound(city: query.city, country: query.country)))
        case 429:
            return .failure(Failure(error: .rateLimited(retryAfter: retryAfter), retryAfter: retryAfter))
        case 500...599:
            return .failure(Failure(error: .server(status: response.status), retryAfter: retryAfter))
        default:
            return .failure(Failure(error: .unexpectedStatus(status: response.status, message: message(of: response))))
        }
    }

    /// The provider's `message` member, or the start of the body, redacted.
    private func message(of response: HTTPResponse) -> String {
        if let json = try? JSONValue.parse(response.body), case .string(let text)? = json["message"] {
            return redaction.apply(text)
        }
        return redaction.apply(String(response.bodyText.prefix(200)))
    }

    /// The provider error for a transport failure, without the API key.
    private func map(_ error: HTTPClientError) -> WeatherProviderError {
        switch error {
        case .timedOut:
            return .timedOut
        case .invalidURL:
            return .configuration(
                ConfigurationError(
                    variable: "OPENWEATHER_BASE_URL",
                    problem: "does not make a valid request URL (\(redaction.apply(configuration.baseURL)))"))
        case .responseTooLarge(let limit):
            return .invalidResponse("body larger than \(limit) bytes")
        case .couldNotResolveHost, .connectionRefused, .tls, .transport:
            return .unreachable(redaction.apply(error.description))
        }
    }

    private func redacted(_ error: WeatherProviderError) -> WeatherProviderError {
        if case .invalidResponse(let text) = error { return .invalidResponse(redaction.apply(text)) }
        return error
    }
}

@available(*, unavailable, message: "WeatherProvider owns a blocking HTTPClient; use one provider per thread")
extension WeatherProvider: Sendable {}
