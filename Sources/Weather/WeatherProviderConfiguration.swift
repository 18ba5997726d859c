import AppSupport

/// How to reach the weather provider (OpenWeather's current-weather API) and how hard to try.
///
/// Build it from the environment with ``init(environment:)``, or directly (tests, tools).
/// Its ``description`` never shows the API key.
public struct WeatherProviderConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// OpenWeather's public API, used when `OPENWEATHER_BASE_URL` is unset.
    public static let defaultBaseURL = "https://api.openweathermap.org"

    /// The provider's base URL, `http://` or `https://`, without the `/data/2.5/weather` path.
    public var baseURL: String
    /// The API key sent as `appid`. `nil` is allowed here; a fetch then fails with
    /// ``WeatherProviderError/configuration(_:)`` naming `OPENWEATHER_API_KEY`.
    public var apiKey: String?
    /// The longest wait for a connection (DNS, TCP, TLS).
    public var connectTimeout: Duration
    /// The longest time one HTTP attempt may take, connection included.
    public var totalTimeout: Duration
    /// The request budget: at most this many HTTP requests (retries included) in any minute, per
    /// shared ``RateLimiter``. OpenWeather's free tier allows 60.
    public var requestsPerMinute: Int
    /// How many cities ``BulkWeatherFetcher`` fetches at once.
    public var maxParallel: Int
    /// How many times a retryable failure is retried (so at most `maxRetries + 1` attempts).
    public var maxRetries: Int
    /// The first backoff delay; it doubles on each retry, with jitter, up to ``maxRetryDelay``.
    public var retryBaseDelay: Duration
    /// The longest wait between two attempts, for backoff and for a server's `Retry-After` alike.
    public var maxRetryDelay: Duration

    /// Creates a configuration; every parameter has the production default.
    /// - Parameters:
    ///   - baseURL: The provider's base URL; ``defaultBaseURL`` by default.
    ///   - apiKey: The API key, or `nil` (fetches then fail with a configuration error).
    ///   - connectTimeout: 5 seconds by default.
    ///   - totalTimeout: 10 seconds by default.
    ///   - requestsPerMinute: 60 by default (the free tier).
    ///   - maxParallel: 4 by default.
    ///   - maxRetries: 3 by default.
    ///   - retryBaseDelay: 500 ms by default.
    ///   - maxRetryDelay: 60 seconds by default.
    public init(
        baseURL: String = WeatherProviderConfiguration.defaultBaseURL,
        apiKey: String? = nil,
        connectTimeout: Duration = .seconds(5),
        totalTimeout: Duration = .seconds(10),
        requestsPerMinute: Int = 60,
        maxParallel: Int = 4,
        maxRetries: Int = 3,
        retryBaseDelay: Duration = .milliseconds(500),
        maxRetryDelay: Duration = .seconds(60)
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.requestsPerMinute = max(1, requestsPerMinute)
        self.maxParallel = max(1, maxParallel)
        self.maxRetries = max(0, maxRetries)
        self.retryBaseDelay = retryBaseDelay
        self.maxRetryDelay = maxRetryDelay
    }

    /// Reads the configuration from the environment:
    ///
    /// | variable | meaning | default |
    /// | --- | --- | --- |
    /// | `OPENWEATHER_API_KEY` | the key (no spaces or control characters) | unset |
    /// | `OPENWEATHER_BASE_URL` | `http://` or `https://` base URL | ``defaultBaseURL`` |
    /// | `OPENWEATHER_CONNECT_TIMEOUT` | seconds, 1...120 | 5 |
    /// | `OPENWEATHER_TIMEOUT` | total seconds per attempt, 1...600 | 10 |
    /// | `OPENWEATHER_RATE_PER_MINUTE` | request budget, 1...100000 | 60 |
    /// | `OPENWEATHER_MAX_PARALLEL` | parallel fetches, 1...64 | 4 |
    ///
    /// An unset key is not an error here (processes that never fetch need none).
    /// - Throws: `ConfigurationError` naming the variable; its text never contains the key.
    public init(environment: Environment) throws {
        self.init()
        baseURL = try environment.baseURL("OPENWEATHER_BASE_URL", default: Self.defaultBaseURL)
        if let key = environment.string("OPENWEATHER_API_KEY") {
            guard !key.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F })
            else {
                throw ConfigurationError(
                    variable: "OPENWEATHER_API_KEY", problem: "must not contain spaces or control characters")
            }
            apiKey = key
        }
        connectTimeout = .seconds(try environment.integer("OPENWEATHER_CONNECT_TIMEOUT", default: 5, range: 1...120))
        totalTimeout = .seconds(try environment.integer("OPENWEATHER_TIMEOUT", default: 10, range: 1...600))
        requestsPerMinute = try environment.integer("OPENWEATHER_RATE_PER_MINUTE", default: 60, range: 1...100_000)
        maxParallel = try environment.integer("OPENWEATHER_MAX_PARALLEL", default: 4, range: 1...64)
    }

    /// The settings, with the API key shown only as set or unset.
    public var description: String {
        "WeatherProviderConfiguration(baseURL: \(baseURL), apiKey: \(apiKey == nil ? "unset" : "set"), "
            + "connectTimeout: \(connectTimeout), totalTimeout: \(totalTimeout), "
            + "requestsPerMinute: \(requestsPerMinute), maxParallel: \(maxParallel), maxRetries: \(maxRetries), "
            + "retryBaseDelay: \(retryBaseDelay), maxRetryDelay: \(maxRetryDelay))"
    }
}
