import AppSupport
import Foundation
import Jobs
import Postgres
import Tasks
import TestSupport
import WeatherData

/// Helpers of the `send_weather_alerts` tests. Each test works in a fresh database of its own
/// (the task reads whole tables and a cursor), and passes its own environment to the registry.
///
/// Blocking work runs on threads of its own (`onThread`) and hands back values; expectations
/// stay in the test's own task, where Swift Testing attributes them to the test.
enum AlertsFixture {
    /// A fresh migrated database's URL.
    static func fresh() async throws -> String {
        try await onThread { try TestDatabase.fresh() }
    }

    /// Runs `body` on a thread of its own with a new connection to `url`.
    @discardableResult
    static func on<T: Sendable>(_ url: String, _ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await onThread {
            let db = try PostgresConnection(conninfo: url, applicationName: "tests-alerts")
            defer { db.close() }
            return try body(db)
        }
    }

    /// Runs `send_weather_alerts` through `ManualRun` on a thread of its own.
    static func run(_ url: String, environment: [String: String] = [:], args: JSONValue = [:]) async throws -> Job {
        try await onThread { try runBlocking(url, environment: environment, args: args) }
    }

    /// Every alert, oldest first.
    static func alerts(_ url: String) async throws -> [WeatherAlert] {
        try await on(url) { try alerts($0) }
    }

    /// The kinds alerted for `city`, sorted.
    static func kinds(_ alerts: [WeatherAlert], city: String) -> [String] {
        alerts.filter { $0.city == city }.map(\.kind.rawValue).sorted()
    }

    /// The notifications of the only alert (the test fails when there is not exactly one).
    static func onlyAlertsNotifications(_ url: String) async throws -> (WeatherAlert, [AlertNotificationRecord]) {
        try await on(url) { db in
            let alerts = try alerts(db)
            guard alerts.count == 1, let alert = alerts.first else { throw HarnessError("expected one alert, found \(alerts.count)") }
            return (alert, try NotificationStore.notifications(ofAlert: alert.id, on: db))
        }
    }

    /// Stores a search with the figures given, searched at `at`; returns its id.
    @discardableResult
    static func search(
        _ db: PostgresConnection, city: String, country: String = "ZZ", temperature: Double = 20, wind: Double? = 3,
        code: Int? = 800, description: String? = nil, at: Date = Date()
    ) throws -> Int {
        let row = try db.query(
            """
            INSERT INTO weather_searches (city, country, temperature, humidity, wind_speed, condition_code, condition_description,
                observed_at, searched_at)
            VALUES (\(city), \(country), \(temperature), 50, \(wind), \(code), \(description), \(at), \(at))
            RETURNING id
            """
        ).first
        guard let row else { throw HarnessError("no id returned") }
        return try row.decode(Int.self, "id")
    }

    /// The registry configured from `environment` only (nothing from the process).
    static func registry(_ environment: [String: String]) -> TaskRegistry {
        TaskCatalog.registry(environment: Environment(environment))
    }

    /// Runs `send_weather_alerts` through `ManualRun` and returns the finished job. Blocking.
    static func runBlocking(_ url: String, environment: [String: String] = [:], args: JSONValue = [:]) throws -> Job {
        try Ops.run("send_weather_alerts", args: args, registry: registry(environment), databaseURL: url)
    }

    /// Every alert, oldest first.
    static func alerts(_ db: PostgresConnection) throws -> [WeatherAlert] {
        try AlertStore.recent(limit: 10_000, on: db).reversed()
    }

    /// An integer member of a job's result (`"notifications.sent"` reads a nested one).
    static func figure(_ job: Job, _ path: String) -> Int? {
        var value = job.result
        for key in path.split(separator: ".") { value = value?[String(key)] }
        if case .int(let number)? = value { return number }
        return nil
    }

    /// A JSON number as a `Double` (JSON does not keep 30.0 apart from 30).
    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        default: nil
        }
    }

    /// The message of the `PermanentFailure` that `definition` throws for `args`, or nil when it
    /// throws nothing or something else.
    static func permanentFailure(_ definition: TaskDefinition, args: JSONValue, url: String) async throws -> String? {
        try await on(url) { db in
            do {
                _ = try Ops.call(definition, args: args, on: db)
                return nil
            } catch let failure as PermanentFailure {
                return failure.message
            } catch {
                return nil
            }
        }
    }

    /// The shared notification sink.
    static func sink() async throws -> FakeNotifyServer {
        try await onThread { try FakeNotifyServer.shared() }
    }

    /// The environment for e-mail through the shared sink.
    static func emailEnvironment(_ sink: FakeNotifyServer, to recipients: [String], authenticated: Bool = true) -> [String: String] {
        var environment = [
            "ALERT_EMAIL_TO": recipients.joined(separator: ", "), "ALERT_EMAIL_FROM": "weather-alerts@weather.test",
            "SMTP_URL": sink.smtpURL, "ALERT_NOTIFY_TIMEOUT": "5",
        ]
        if authenticated {
            environment["SMTP_USERNAME"] = FakeNotifyServer.smtpUser
            environment["SMTP_PASSWORD"] = FakeNotifyServer.smtpPassword
        }
        return environment
    }
}
