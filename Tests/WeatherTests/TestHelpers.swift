import AppSupport
import Foundation
import HTTPClient
import TestSupport
import Testing
import Weather

/// The fake server's base URL, starting the server on first use.
func fakeServerURL() async throws -> String {
    try await onThread { try FakeOpenWeatherServer.shared().baseURL }
}

/// A configuration for the fake server with a valid key, quick retries and a large budget.
func fakeConfiguration(
    _ base: String, apiKey: String? = "test-key", maxRetries: Int = 3, retryBaseDelay: Duration = .milliseconds(10),
    totalTimeout: Duration = .seconds(5), maxParallel: Int = 4, requestsPerMinute: Int = 10_000
) -> WeatherProviderConfiguration {
    WeatherProviderConfiguration(
        baseURL: base, apiKey: apiKey, connectTimeout: .seconds(2), totalTimeout: totalTimeout,
        requestsPerMinute: requestsPerMinute, maxParallel: maxParallel, maxRetries: maxRetries,
        retryBaseDelay: retryBaseDelay)
}

/// Thread-safe list of values, for waits, progress calls and the like.
final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Value] = []

    func append(_ value: Value) { lock.withLock { storage.append(value) } }
    var values: [Value] { lock.withLock { storage } }
}

/// Fetches one city on its own thread with a fresh provider; retry waits are recorded in
/// `sleeps` instead of slept when given.
func fetch(
    _ city: String, _ country: String?, configuration: WeatherProviderConfiguration,
    sleeps: Recorder<Duration>? = nil
) async -> Result<CurrentWeather, WeatherProviderError> {
    await onThread { () -> Result<CurrentWeather, WeatherProviderError> in
        Result { () throws(WeatherProviderError) in
            let provider: WeatherProvider
            if let sleeps {
                provider = try WeatherProvider(configuration: configuration, sleep: { sleeps.append($0) })
            } else {
                provider = try WeatherProvider(configuration: configuration)
            }
            return try provider.current(city: city, country: country)
        }
    }
}

/// How many weather requests the fake server received for the query `q` (lowercased, as sent
/// after decoding), from its `/__stats` route.
func requestCount(q: String) async throws -> Int {
    let base = try await fakeServerURL()
    let response = try await onThread { () throws(HTTPClientError) -> HTTPResponse in
        try HTTPClient().perform(HTTPRequest(url: base + "/__stats"))
    }
    let stats = try JSONValue.parse(response.body)
    guard case .int(let count)? = stats["queries"]?[q.lowercased()] else { return 0 }
    return count
}

/// The error of a failed outcome, or nil.
func failure<T>(_ result: Result<T, WeatherProviderError>) -> WeatherProviderError? {
    if case .failure(let error) = result { return error }
    return nil
}
