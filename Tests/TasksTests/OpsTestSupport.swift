import AppSupport
import Foundation
import HTTPClient
import Jobs
import Logging
import Postgres
import Tasks
import TestSupport
import Weather
import WeatherData

/// Helpers of the processing, bulk update, maintenance and backup tests.
enum Ops {
    /// Runs `task` now through `ManualRun` (the `TaskRunner run` path: a jobs row, progress,
    /// cancellation through the heartbeat) and returns the finished job. Blocking.
    static func run(
        _ task: String, args: JSONValue = [:], registry: TaskRegistry = TaskCatalog.registry, databaseURL: String,
        heartbeat: Duration = .seconds(5)
    ) throws -> Job {
        let connection = try PostgresConnection(conninfo: databaseURL, applicationName: "tests-ops")
        defer { connection.close() }
        return try ManualRun(registry: registry, databaseURL: databaseURL, heartbeatInterval: heartbeat, logger: Logger(label: "test"))
            .run(EnqueueRequest(task: task, args: args), on: connection)
    }

    /// Calls a definition's code directly, with a context of its own on `connection`, so a test
    /// can see the exact error it throws (permanent or not).
    static func call(_ definition: TaskDefinition, args: JSONValue, on connection: PostgresConnection) throws -> JSONValue {
        let context = JobContext(
            jobID: 0, task: definition.name, args: args, attempt: 1, token: CancellationToken(), progress: { _, _, _ in },
            database: { connection })
        return try definition.run(context)
    }

    /// A provider report with the figures given.
    static func weather(city: String = "Testville", temperature: Double, humidity: Int, windSpeed: Double) -> CurrentWeather {
        CurrentWeather(
            city: city, country: "ZZ", temperature: temperature, feelsLike: temperature, tempMin: temperature - 1,
            tempMax: temperature + 1, humidity: humidity, pressure: 1013, windSpeed: windSpeed, windDirection: 180, cloudiness: 0,
            conditionCode: 800, conditionMain: "Clear", conditionDescription: "clear sky", observedAt: Date(), latitude: nil,
            longitude: nil)
    }

    /// The fake provider's base URL (starting it blocks).
    static func fakeBaseURL() throws -> String {
        try FakeOpenWeatherServer.shared().baseURL
    }

    /// Provider settings for the fake: a key it accepts, short timeouts, quick retries.
    static func providerConfiguration(
        _ baseURL: String, apiKey: String? = "test-key", timeout: Duration = .seconds(2), maxParallel: Int = 4, maxRetries: Int = 1
    ) -> WeatherProviderConfiguration {
        WeatherProviderConfiguration(
            baseURL: baseURL, apiKey: apiKey, connectTimeout: .seconds(2), totalTimeout: timeout, requestsPerMinute: 100_000,
            maxParallel: maxParallel, maxRetries: maxRetries, retryBaseDelay: .milliseconds(10), maxRetryDelay: .milliseconds(50))
    }

    /// How many weather requests the fake has seen for `q` (lowercased `city,cc`).
    static func requestCount(_ baseURL: String, q: String) throws -> Int {
        let response = try HTTPClient().perform(HTTPRequest(url: baseURL + "/__stats"))
        guard case .int(let count)? = try JSONValue.parse(response.body)["queries"]?[q.lowercased()] else { return 0 }
        return count
    }

    /// One integer from the first row of `query`.
    static func integer(_ query: PostgresQuery, on connection: PostgresConnection) throws -> Int {
        guard let row = try connection.query(query).first else { throw HarnessError("no row") }
        return try row.decode(Int.self, at: 0)
    }
}
