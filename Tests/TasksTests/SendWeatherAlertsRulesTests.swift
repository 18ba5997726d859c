import AppSupport
import Foundation
import Jobs
import Postgres
import Tasks
import Testing
import TestSupport
import WeatherData

/// Detection: the four rules at and beside their thresholds, the 6-hour rule, the cursor,
/// overlapping runs, configurable thresholds, bad arguments and configuration.
@Suite("send_weather_alerts: rules")
struct SendWeatherAlertsRulesTests {
    @Test func eachRuleFiresAtItsThresholdAndNotBeside() async throws {
        let url = try await AlertsFixture.fresh()
        let cases: [(city: String, temperature: Double, wind: Double?, code: Int?, kinds: [String])] = [
            ("HeatAt", 35.0, 3, 800, ["heat"]),
            ("HeatAbove", 41.3, 3, 800, ["heat"]),
            ("HeatBelow", 34.9, 3, 800, []),
            ("ColdAt", -10.0, 3, 800, ["cold"]),
            ("ColdBelow", -25.5, 3, 600, ["cold"]),
            ("ColdAbove", -9.9, 3, 600, []),
            ("WindAt", 12, 20.0, 804, ["wind"]),
            ("WindAbove", 12, 33.4, 804, ["wind"]),
            ("WindBelow", 12, 19.9, 804, []),
            ("NoWind", 12, nil, nil, []),
            ("Storm200", 19, 5, 200, ["thunderstorm"]),
            ("Storm211", 19, 5, 211, ["thunderstorm"]),
            ("Storm299", 19, 5, 299, ["thunderstorm"]),
            ("Code199", 19, 5, 199, []),
            ("Drizzle300", 19, 5, 300, []),
            ("Clear800", 19, 5, 800, []),
            ("Everything", 36, 21, 202, ["heat", "thunderstorm", "wind"]),
        ]
        let rows = cases.map { ($0.city, $0.temperature, $0.wind, $0.code) }
        try await AlertsFixture.on(url) { db in
            for (city, temperature, wind, code) in rows {
                try AlertsFixture.search(db, city: city, temperature: temperature, wind: wind, code: code)
            }
        }
        let job = try await AlertsFixture.run(url)
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        let alerts = try await AlertsFixture.alerts(url)
        for item in cases {
            #expect(AlertsFixture.kinds(alerts, city: item.city) == item.kinds, "\(item.city)")
        }
        #expect(AlertsFixture.figure(job, "searches_examined") == cases.count)
        #expect(AlertsFixture.figure(job, "alerts_created.heat") == 3)
        #expect(AlertsFixture.figure(job, "alerts_created.cold") == 2)
        #expect(AlertsFixture.figure(job, "alerts_created.wind") == 3)
        #expect(AlertsFixture.figure(job, "alerts_created.thunderstorm") == 4)
        #expect(AlertsFixture.figure(job, "alerts_total") == 12)

        let heat = try #require(alerts.first { $0.city == "HeatAt" })
        #expect(heat.value == 35)
        #expect(heat.threshold == 35)
        #expect(heat.message == "Extreme heat in HeatAt, ZZ: 35.0 °C (threshold 35.0 °C)")
        #expect(heat.searchID != nil)
        let wind = try #require(alerts.first { $0.city == "WindAbove" })
        #expect(wind.message == "High wind in WindAbove, ZZ: 33.4 m/s (threshold 20.0 m/s)")
        let storm = try #require(alerts.first { $0.city == "Storm211" })
        #expect(storm.value == 211)
        #expect(storm.threshold == 200)
        #expect(storm.message == "Thunderstorm in Storm211, ZZ: thunderstorm (condition 211)")
    }

    @Test func noRepeatWithinSixHoursButANewAlertAfter() async throws {
        let url = try await AlertsFixture.fresh()
        let now = Date()
        let hour: TimeInterval = 3600
        try await AlertsFixture.on(url) { db in
            try AlertsFixture.search(db, city: "Repeatville", temperature: 37, at: now.addingTimeInterval(-10 * hour))
        }
        let first = try await AlertsFixture.run(url)
        #expect(first.state == .succeeded, "\(first.error ?? "")")
        #expect(AlertsFixture.kinds(try await AlertsFixture.alerts(url), city: "Repeatville") == ["heat"])

        try await AlertsFixture.on(url) { db in
            // 5 h and 5.5 h later (another spelling): within 6 hours of the alert, so nothing.
            try AlertsFixture.search(db, city: "Repeatville", temperature: 38, at: now.addingTimeInterval(-5 * hour))
            try AlertsFixture.search(db, city: "REPEATVILLE", temperature: 39, at: now.addingTimeInterval(-4.5 * hour))
            // The same name in another country is another city.
            try AlertsFixture.search(db, city: "Repeatville", country: "YY", temperature: 38, at: now.addingTimeInterval(-5 * hour))
            // Another kind for the same city is not held back.
            try AlertsFixture.search(db, city: "Repeatville", temperature: 20, wind: 25, at: now.addingTimeInterval(-5 * hour))
        }
        let second = try await AlertsFixture.run(url)
        #expect(second.state == .succeeded, "\(second.error ?? "")")
        #expect(AlertsFixture.figure(second, "alerts_total") == 2)
        var alerts = try await AlertsFixture.alerts(url)
        #expect(alerts.filter { $0.city.lowercased() == "repeatville" && $0.country == "ZZ" }.map(\.kind.rawValue).sorted() == ["heat", "wind"])
        #expect(alerts.filter { $0.country == "YY" }.map(\.kind) == [.heat])

        // 10 h after the first alert: a new one.
        try await AlertsFixture.on(url) { db in try AlertsFixture.search(db, city: "repeatville", temperature: 36, at: now) }
        let third = try await AlertsFixture.run(url)
        #expect(AlertsFixture.figure(third, "alerts_created.heat") == 1)
        alerts = try await AlertsFixture.alerts(url)
        let heats = alerts.filter { $0.country == "ZZ" && $0.kind == .heat }
        #expect(heats.count == 2)
        #expect(heats.last?.city == "repeatville")
    }

    @Test func sixHourRuleHoldsInsideOneBatch() async throws {
        let url = try await AlertsFixture.fresh()
        let start = Date().addingTimeInterval(-24 * 3600)
        // Offsets in hours: an alert at 0, none at 1 and 5.9, one at exactly 6, none at 6.1 and
        // 11.9 (within 6 h of the one at 6), one at 12.5. Inserted out of time order.
        try await AlertsFixture.on(url) { db in
            for offset in [6.1, 0, 12.5, 1, 6, 5.9, 11.9] {
                try AlertsFixture.search(db, city: "Batchton", temperature: -15, at: start.addingTimeInterval(offset * 3600))
            }
        }
        let job = try await AlertsFixture.run(url)
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        let offsets = try await AlertsFixture.alerts(url).map { ($0.observedAt.timeIntervalSince(start) / 360).rounded() / 10 }.sorted()
        #expect(offsets == [0, 6, 12.5])
    }

    @Test func looksOnlyAtSearchesSinceItsLastRun() async throws {
        let url = try await AlertsFixture.fresh()
        try await AlertsFixture.on(url) { db in
            try AlertsFixture.search(db, city: "Oldtown", temperature: 40)
            try AlertsFixture.search(db, city: "Mildtown", temperature: 20)
        }
        let first = try await AlertsFixture.run(url)
        #expect(AlertsFixture.figure(first, "searches_examined") == 2)
        #expect(AlertsFixture.figure(first, "alerts_total") == 1)
        let cursor = try await AlertsFixture.on(url) { try AlertStore.cursor(on: $0) }
        #expect(AlertsFixture.figure(first, "cursor") == cursor)

        // With the alert gone, Oldtown's search would raise it again, but it is behind the cursor.
        try await AlertsFixture.on(url) { db in try db.execute("DELETE FROM weather_alerts") }
        let idle = try await AlertsFixture.run(url)
        #expect(idle.state == .succeeded)
        #expect(AlertsFixture.figure(idle, "searches_examined") == 0)
        #expect(AlertsFixture.figure(idle, "alerts_total") == 0)

        let newID = try await AlertsFixture.on(url) { db in try AlertsFixture.search(db, city: "Newtown", temperature: 40) }
        let next = try await AlertsFixture.run(url)
        #expect(AlertsFixture.figure(next, "searches_examined") == 1)
        #expect(try await AlertsFixture.alerts(url).map(\.city) == ["Newtown"])
        #expect(try await AlertsFixture.on(url) { try AlertStore.cursor(on: $0) } == newID)
    }

    @Test func searchesInManyChunksAreAllExamined() async throws {
        let url = try await AlertsFixture.fresh()
        let (detection, horizon, chunks, pending) = try await AlertsFixture.on(url) { db in
            for index in 0..<25 {
                try AlertsFixture.search(db, city: "Chunk\(index)", temperature: index % 5 == 0 ? 40 : 20)
            }
            guard let horizon = try AlertStore.settledHorizon(after: 0, on: db, pause: { _ in }) else { throw HarnessError("no horizon") }
            var chunks = 0
            let detection = try AlertStore.detect(
                thresholds: AlertThresholds(), targets: [(channel: "webhook", target: "http://example.test/hook")], upTo: horizon,
                chunkSize: 4, on: db, beforeChunk: { chunks += 1 })
            return (detection, horizon, chunks, try NotificationStore.pendingCount(on: db))
        }
        #expect(detection.searchesExamined == 25)
        #expect(detection.alertsByKind[.heat] == 5)
        #expect(detection.notificationsQueued == 5)
        #expect(detection.cursor == horizon)
        #expect(chunks >= 7)
        #expect(pending == 5)
    }

    @Test func searchesStillBeingWrittenAreWaitedFor() async throws {
        let url = try await AlertsFixture.fresh()
        struct Outcome: Sendable {
            var lateID = 0, earlyID = 0
            var alertsWhileWriting: [String] = []
            var job: Job?
        }
        let outcome = try await onThread { () throws -> Outcome in
            var outcome = Outcome()
            let db = try PostgresConnection(conninfo: url, applicationName: "tests-alerts")
            defer { db.close() }
            // A writer holds a lower id, uncommitted, while a higher one commits.
            let writer = try PostgresConnection(conninfo: url, applicationName: "tests-alerts-writer")
            defer { writer.close() }
            try writer.simpleQuery("BEGIN")
            outcome.lateID = try AlertsFixture.search(writer, city: "Lateville", temperature: 44)
            outcome.earlyID = try AlertsFixture.search(db, city: "Earlyville", temperature: 44)

            let finished = ConditionFlag()
            Thread { finished.set(Result { try AlertsFixture.runBlocking(url) }) }.start()
            try eventually("the task to start", seconds: 60) {
                try db.query("SELECT 1 FROM jobs WHERE task = 'send_weather_alerts' AND state = 'running'").count == 1
            }
            Thread.sleep(forTimeInterval: 0.5)
            outcome.alertsWhileWriting = try AlertsFixture.alerts(db).map(\.city)
            try writer.simpleQuery("COMMIT")
            outcome.job = try finished.wait().get()
            return outcome
        }
        #expect(outcome.lateID < outcome.earlyID)
        #expect(outcome.alertsWhileWriting.isEmpty, "the run waited for the open writer")
        let job = try #require(outcome.job)
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        #expect(try await AlertsFixture.alerts(url).map(\.city).sorted() == ["Earlyville", "Lateville"])
        #expect(AlertsFixture.figure(job, "searches_examined") == 2)
    }

    @Test func overlappingRunsRaiseEachAlertOnce() async throws {
        let url = try await AlertsFixture.fresh()
        let start = Date().addingTimeInterval(-48 * 3600)
        try await AlertsFixture.on(url) { db in
            for hour in 0..<40 {
                for city in ["Overlap A", "Overlap B", "Overlap C"] {
                    try AlertsFixture.search(db, city: city, temperature: 40, wind: 25, at: start.addingTimeInterval(Double(hour) * 3600))
                }
            }
        }
        let jobs = try await onThread { () throws -> [Job] in
            let runs = (0..<3).map { _ in ConditionFlag() }
            for flag in runs { Thread { flag.set(Result { try AlertsFixture.runBlocking(url) }) }.start() }
            return try runs.map { try $0.wait().get() }
        }
        for job in jobs { #expect(job.state == .succeeded, "\(job.error ?? "")") }
        // Hours 0, 6, ..., 36: 7 per city and kind.
        let alerts = try await AlertsFixture.alerts(url)
        #expect(alerts.count == 3 * 2 * 7)
        #expect(Set(alerts.map { "\($0.city)/\($0.kind)/\($0.observedAt)" }).count == alerts.count)
        #expect(jobs.compactMap { AlertsFixture.figure($0, "alerts_total") }.reduce(0, +) == alerts.count)
        #expect(jobs.compactMap { AlertsFixture.figure($0, "searches_examined") }.reduce(0, +) == 120)
    }

    @Test func thresholdsComeFromTheEnvironmentAndArguments() async throws {
        let url = try await AlertsFixture.fresh()
        try await AlertsFixture.on(url) { db in
            try AlertsFixture.search(db, city: "Warmish", temperature: 31)
            try AlertsFixture.search(db, city: "Chilly", temperature: -3)
            try AlertsFixture.search(db, city: "Breezy", temperature: 15, wind: 12)
        }
        let environment = ["ALERT_HEAT_C": "30", "ALERT_COLD_C": "-2.5", "ALERT_WIND_MS": "50"]
        let job = try await AlertsFixture.run(url, environment: environment, args: ["wind_ms": 12])
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        let alerts = try await AlertsFixture.alerts(url)
        #expect(AlertsFixture.kinds(alerts, city: "Warmish") == ["heat"])
        #expect(AlertsFixture.kinds(alerts, city: "Chilly") == ["cold"])
        #expect(AlertsFixture.kinds(alerts, city: "Breezy") == ["wind"])
        #expect(AlertsFixture.number(job.result?["thresholds"]?["heat_c"]) == 30)
        #expect(AlertsFixture.number(job.result?["thresholds"]?["cold_c"]) == -2.5)
        #expect(AlertsFixture.number(job.result?["thresholds"]?["wind_ms"]) == 12)
        #expect(alerts.first { $0.city == "Breezy" }?.threshold == 12)

        // An argument above the environment's value holds back what the environment would raise.
        try await AlertsFixture.on(url) { db in try AlertsFixture.search(db, city: "Warmer", temperature: 33) }
        let higher = try await AlertsFixture.run(url, environment: environment, args: ["heat_c": 34.5])
        #expect(higher.state == .succeeded)
        #expect(AlertsFixture.kinds(try await AlertsFixture.alerts(url), city: "Warmer").isEmpty)
    }

    @Test func badArgumentsFailPermanentlyNamingTheField() async throws {
        let url = try await AlertsFixture.fresh()
        let definition = SendWeatherAlertsTask.definition(environment: Environment([:]))
        for (args, field) in [
            (["heat": 30] as JSONValue, "heat"), (["heat_c": "hot"], "heat_c"), (["wind_ms": -1], "wind_ms"),
            (["cold_c": 500], "cold_c"), (["heat_c": 10, "cold_c": 20], "cold_c"), (["wind_ms": true], "wind_ms"),
            (JSONValue.array([1]), "args"),
        ] {
            let message = try await AlertsFixture.permanentFailure(definition, args: args, url: url)
            #expect(message?.contains(field) == true, "\(args): \(message ?? "no permanent failure")")
        }
        let job = try await AlertsFixture.run(url, args: ["heat_c": "hot"])
        #expect(job.state == .failed)
        #expect(job.error?.contains("heat_c") == true)
        #expect(job.attempts == 1)
    }

    @Test func badConfigurationFailsPermanentlyNamingTheVariable() async throws {
        let url = try await AlertsFixture.fresh()
        let email = ["ALERT_EMAIL_TO": "ops@example.test", "ALERT_EMAIL_FROM": "a@example.test", "SMTP_URL": "smtp://h"]
        let cases: [([String: String], String)] = [
            (["ALERT_HEAT_C": "hot"], "ALERT_HEAT_C"),
            (["ALERT_COLD_C": "40"], "ALERT_COLD_C"),
            (["ALERT_WIND_MS": "-3"], "ALERT_WIND_MS"),
            (["ALERT_EMAIL_TO": "ops@example.test"], "ALERT_EMAIL_FROM"),
            (["ALERT_EMAIL_TO": "ops@example.test", "ALERT_EMAIL_FROM": "a@example.test"], "SMTP_URL"),
            (email.merging(["ALERT_EMAIL_TO": "ops@example.test, not an address"]) { $1 }, "ALERT_EMAIL_TO"),
            (email.merging(["ALERT_EMAIL_FROM": "alerts"]) { $1 }, "ALERT_EMAIL_FROM"),
            (email.merging(["SMTP_URL": "http://h"]) { $1 }, "SMTP_URL"),
            (email.merging(["SMTP_URL": "smtp://u:p@h"]) { $1 }, "SMTP_URL"),
            (email.merging(["SMTP_STARTTLS": "yes"]) { $1 }, "SMTP_STARTTLS"),
            (email.merging(["SMTP_PASSWORD": "x"]) { $1 }, "SMTP_USERNAME"),
            (email.merging(["SMTP_CA_FILE": "/nonexistent/ca.pem"]) { $1 }, "SMTP_CA_FILE"),
            (["ALERT_WEBHOOK_URL": "ftp://example.test/hook"], "ALERT_WEBHOOK_URL"),
            (["ALERT_NOTIFY_TIMEOUT": "0"], "ALERT_NOTIFY_TIMEOUT"),
            (["ALERT_NOTIFY_MAX_ATTEMPTS": "many"], "ALERT_NOTIFY_MAX_ATTEMPTS"),
        ]
        for (environment, variable) in cases {
            let definition = SendWeatherAlertsTask.definition(environment: Environment(environment))
            let message = try await AlertsFixture.permanentFailure(definition, args: [:], url: url)
            #expect(message?.contains(variable) == true, "\(environment): \(message ?? "no permanent failure")")
        }
        // A valid e-mail configuration passes.
        let valid = SendWeatherAlertsTask.definition(environment: Environment(email.merging(["SMTP_STARTTLS": "require"]) { $1 }))
        #expect(try await AlertsFixture.permanentFailure(valid, args: [:], url: url) == nil)
    }

    @Test func recentAlertsArePagedNewestFirst() async throws {
        let url = try await AlertsFixture.fresh()
        try await AlertsFixture.on(url) { db in
            for index in 0..<5 { try AlertsFixture.search(db, city: "Page\(index)", temperature: 40) }
        }
        #expect(try await AlertsFixture.run(url).state == .succeeded)
        let (first, second, last, again) = try await AlertsFixture.on(url) { db in
            let first = try AlertStore.recent(limit: 2, on: db)
            let second = try AlertStore.recent(limit: 2, before: first.last?.id, on: db)
            let last = try AlertStore.recent(limit: 2, before: second.last?.id, on: db)
            return (first, second, last, try last.first.flatMap { try AlertStore.alert($0.id, on: db) })
        }
        #expect(first.map(\.city) == ["Page4", "Page3"])
        #expect(second.map(\.city) == ["Page2", "Page1"])
        #expect(last.map(\.city) == ["Page0"])
        #expect(again == last.first)
        #expect(last.first?.json["kind"] == "heat")
    }
}

/// A one-shot result handed from a thread to the test.
final class ConditionFlag: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Result<Job, any Error>?

    func set(_ result: Result<Job, any Error>) {
        condition.lock()
        value = result
        condition.broadcast()
        condition.unlock()
    }

    /// The result, or a failure when none came within `seconds`.
    func wait(seconds: Double = 300) -> Result<Job, any Error> {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while value == nil {
            if !condition.wait(until: deadline) { return .failure(HarnessError("no result within \(seconds) s")) }
        }
        return value!
    }
}
