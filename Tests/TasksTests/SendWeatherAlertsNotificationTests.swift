import AppSupport
import Foundation
import Jobs
import Logging
import Postgres
import Tasks
import Testing
import TestSupport
import WeatherData

/// Delivery: e-mail through a real SMTP server, webhooks to a real HTTP receiver, retries,
/// permanent failures, and no channel at all.
@Suite("send_weather_alerts: notifications")
struct SendWeatherAlertsNotificationTests {
    @Test func emailArrivesAtTheSMTPServerWithTheAlert() async throws {
        let sink = try await AlertsFixture.sink()
        let url = try await AlertsFixture.fresh()
        let first = FakeNotifyServer.address("ops")
        let second = FakeNotifyServer.address("oncall")
        try await AlertsFixture.on(url) { db in try AlertsFixture.search(db, city: "Hottown", country: "ES", temperature: 38) }
        let job = try await AlertsFixture.run(url, environment: AlertsFixture.emailEnvironment(sink, to: [first, second]))
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        #expect(AlertsFixture.figure(job, "notifications.queued") == 2)
        #expect(AlertsFixture.figure(job, "notifications.sent") == 2)
        #expect(AlertsFixture.figure(job, "notifications.pending") == 0)
        #expect(job.result?["notifications"]?["configured"] == true)

        let (alert, records) = try await AlertsFixture.onlyAlertsNotifications(url)
        for recipient in [first, second] {
            let mails = try await onThread { try sink.mails(to: recipient) }
            #expect(mails.count == 1, "one mail for \(recipient)")
            let mail = try #require(mails.first)
            #expect(mail.rcptTos == [recipient], "one recipient per message")
            #expect(mail.mailFrom == "weather-alerts@weather.test")
            #expect(mail.authUser == FakeNotifyServer.smtpUser)
            #expect(mail.subject == "[weather alert] heat in Hottown, ES")
            #expect(mail.body.contains("Extreme heat in Hottown, ES: 38.0 °C (threshold 35.0 °C)"))
            #expect(mail.body.contains("Alert id:  \(alert.id)"))
            #expect(mail.headers["message-id"]?.hasPrefix("<alert-\(alert.id).") == true)
            #expect(mail.headers["from"] == "Weather alerts <weather-alerts@weather.test>")
        }
        #expect(records.map(\.target).sorted() == [first, second].sorted())
        for record in records {
            #expect(record.channel == "email")
            #expect(record.state == .sent)
            #expect(record.attempts == 1)
            #expect(record.sentAt != nil)
            #expect(record.lastError == nil)
        }
    }

    @Test func webhookReceivesTheAlertAsJSON() async throws {
        let sink = try await AlertsFixture.sink()
        let url = try await AlertsFixture.fresh()
        let hook = sink.webhookURL("json")
        try await AlertsFixture.on(url) { db in
            try AlertsFixture.search(db, city: "Stormy", country: "DE", temperature: 19, wind: 9.3, code: 211, description: "thunderstorm with rain")
        }
        let job = try await AlertsFixture.run(url, environment: ["ALERT_WEBHOOK_URL": hook + "?token=s3cret-token"])
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        #expect(AlertsFixture.figure(job, "notifications.sent") == 1)

        let (alert, records) = try await AlertsFixture.onlyAlertsNotifications(url)
        let requests = try await onThread { try sink.webhooks(at: hook) }
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.method == "POST")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["x-weather-alert-id"] == String(alert.id))
        let body = try JSONValue.parse(request.body)
        #expect(body["event"] == "weather_alert")
        #expect(body["alert_id"] == .int(alert.id))
        #expect(body["city"] == "Stormy")
        #expect(body["country"] == "DE")
        #expect(body["kind"] == "thunderstorm")
        #expect(AlertsFixture.number(body["value"]) == 211)
        #expect(AlertsFixture.number(body["threshold"]) == 200)
        #expect(body["unit"] == "condition code")
        #expect(body["message"] == "Thunderstorm in Stormy, DE: thunderstorm with rain (condition 211)")
        #expect(body["observed_at"] == .string(Timestamps.iso8601(alert.observedAt)))

        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.channel == "webhook")
        #expect(record.target == hook, "stored without the query, where the token is")
        #expect(record.state == .sent)
        #expect(job.result?["notifications"]?["targets"] == [.string("webhook:\(hook)")])
        #expect(job.result?.serialized.contains("s3cret") == false)
    }

    @Test func aWebhookFailingOnceIsRetriedByTheQueueAndEndsSent() async throws {
        let sink = try await AlertsFixture.sink()
        let url = try await AlertsFixture.fresh()
        let hook = sink.webhookURL("retry")
        try await onThread { try sink.failWebhook(hook, times: 1, status: 500) }
        try await AlertsFixture.on(url) { db in try AlertsFixture.search(db, city: "Windy", country: "GB", temperature: 11, wind: 22) }

        let queueName = "alerts-\(UInt32.random(in: 0...UInt32.max))"
        let registry = AlertsFixture.registry(["ALERT_WEBHOOK_URL": hook])
        let (job, history) = try await onThread { () throws -> (Job?, [JobQueue.Attempt]) in
            let daemon = Daemon(
                configuration: DaemonConfiguration(
                    databaseURL: url, queues: [queueName], concurrency: 1, pollInterval: .milliseconds(200),
                    heartbeatInterval: .milliseconds(500), shutdownGrace: .seconds(5),
                    retryPolicy: RetryPolicy(base: .milliseconds(50), maximum: .milliseconds(200))),
                registry: registry, logger: Logger(label: "test-daemon"))
            let stopped = ConditionFlagVoid()
            Thread {
                daemon.run()
                stopped.set()
            }.start()
            defer {
                daemon.requestStop()
                stopped.wait()
            }
            let db = try PostgresConnection(conninfo: url, applicationName: "tests-alerts")
            defer { db.close() }
            let queue = JobQueue(registry: registry)
            let id = try queue.enqueue(EnqueueRequest(task: "send_weather_alerts", queue: queueName), on: db).id
            let job = try queue.waitUntilFinished(id, timeout: .seconds(120), listener: db)
            return (job, try queue.attempts(of: id, on: db))
        }
        let finished = try #require(job)
        #expect(finished.state == .succeeded, "\(finished.error ?? "")")
        #expect(finished.attempts == 2)
        #expect(history.count == 2)
        #expect(AlertsFixture.figure(finished, "notifications.sent") == 1)
        #expect(AlertsFixture.figure(finished, "alerts_total") == 0, "the second attempt raised nothing new")

        let (_, records) = try await AlertsFixture.onlyAlertsNotifications(url)
        let record = try #require(records.first)
        #expect(record.state == .sent)
        #expect(record.attempts == 2)
        #expect(record.lastError?.contains("500") == true)
        #expect(try await onThread { try sink.webhooks(at: hook) }.map(\.status) == [500, 200])
    }

    @Test func aNotificationOutOfAttemptsIsMarkedFailed() async throws {
        let sink = try await AlertsFixture.sink()
        let url = try await AlertsFixture.fresh()
        let hook = sink.webhookURL("exhaust")
        try await onThread { try sink.failWebhook(hook, times: 10, status: 503) }
        try await AlertsFixture.on(url) { db in try AlertsFixture.search(db, city: "Coldville", country: "FI", temperature: -15) }
        let environment = ["ALERT_WEBHOOK_URL": hook, "ALERT_NOTIFY_MAX_ATTEMPTS": "2"]

        let first = try await AlertsFixture.run(url, environment: environment)
        #expect(first.state == .failed, "a manual run is one attempt; the queue would retry it")
        #expect(first.error?.contains("1 notification still pending") == true, "\(first.error ?? "")")
        var record = try #require(try await AlertsFixture.onlyAlertsNotifications(url).1.first)
        #expect(record.state == .pending)
        #expect(record.attempts == 1)
        #expect(record.lastError?.contains("503") == true)

        let second = try await AlertsFixture.run(url, environment: environment)
        #expect(second.state == .succeeded, "\(second.error ?? "")")
        #expect(AlertsFixture.figure(second, "notifications.failed") == 1)
        record = try #require(try await AlertsFixture.onlyAlertsNotifications(url).1.first)
        #expect(record.state == .failed)
        #expect(record.attempts == 2)
        #expect(record.sentAt == nil)
        #expect(try await onThread { try sink.webhooks(at: hook) }.count == 2)
    }

    @Test func permanentRefusalsFailAtOnceWhileOtherTargetsAreSent() async throws {
        let sink = try await AlertsFixture.sink()
        let url = try await AlertsFixture.fresh()
        let hook = sink.webhookURL("gone")
        try await onThread { try sink.failWebhook(hook, times: 10, status: 404) }
        let good = FakeNotifyServer.address("good")
        let refused = "reject-\(UInt32.random(in: 0...UInt32.max))@example.test"
        var environment = AlertsFixture.emailEnvironment(sink, to: [good, refused])
        environment["ALERT_WEBHOOK_URL"] = hook
        try await AlertsFixture.on(url) { db in try AlertsFixture.search(db, city: "Hottown", temperature: 39) }

        let job = try await AlertsFixture.run(url, environment: environment)
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        #expect(AlertsFixture.figure(job, "notifications.sent") == 1)
        #expect(AlertsFixture.figure(job, "notifications.failed") == 2)
        let records = try await AlertsFixture.onlyAlertsNotifications(url).1
        let byTarget = Dictionary(uniqueKeysWithValues: records.map { ($0.target, $0) })
        #expect(byTarget[good]?.state == .sent)
        #expect(byTarget[refused]?.state == .failed)
        #expect(byTarget[refused]?.attempts == 1)
        #expect(byTarget[refused]?.lastError?.contains("550") == true)
        #expect(byTarget[hook]?.state == .failed)
        #expect(byTarget[hook]?.lastError?.contains("404") == true)
        #expect(try await onThread { try sink.mails(to: good) }.count == 1)
    }

    @Test func aTemporarySMTPRefusalIsRetried() async throws {
        let sink = try await AlertsFixture.sink()
        let url = try await AlertsFixture.fresh()
        let recipient = FakeNotifyServer.address("busy")
        try await onThread { try sink.failRecipient(recipient, times: 1) }
        try await AlertsFixture.on(url) { db in try AlertsFixture.search(db, city: "Hottown", temperature: 39) }
        let environment = AlertsFixture.emailEnvironment(sink, to: [recipient], authenticated: false)
        let first = try await AlertsFixture.run(url, environment: environment)
        #expect(first.state == .failed)
        #expect(first.error?.contains("451") == true, "\(first.error ?? "")")
        let second = try await AlertsFixture.run(url, environment: environment)
        #expect(second.state == .succeeded, "\(second.error ?? "")")
        let record = try #require(try await AlertsFixture.onlyAlertsNotifications(url).1.first)
        #expect(record.state == .sent)
        #expect(record.attempts == 2)
        #expect(try await onThread { try sink.mails(to: recipient) }.count == 1)
    }

    @Test func withoutAnyChannelAlertsAreStillRecorded() async throws {
        let url = try await AlertsFixture.fresh()
        try await AlertsFixture.on(url) { db in try AlertsFixture.search(db, city: "Quietville", temperature: 45) }
        let job = try await AlertsFixture.run(url, environment: [:])
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        #expect(AlertsFixture.figure(job, "alerts_total") == 1)
        #expect(job.result?["notifications"]?["configured"] == false)
        guard case .string(let message)? = job.result?["notifications"]?["message"] else {
            Issue.record("no message in \(job.result?.serialized ?? "nil")")
            return
        }
        #expect(message.contains("not configured"))
        #expect(try await AlertsFixture.onlyAlertsNotifications(url).1.isEmpty)
    }

    @Test func aTargetNoLongerConfiguredIsGivenUp() async throws {
        let sink = try await AlertsFixture.sink()
        let url = try await AlertsFixture.fresh()
        let hook = sink.webhookURL("removed")
        try await onThread { try sink.failWebhook(hook, times: 5, status: 502) }
        try await AlertsFixture.on(url) { db in try AlertsFixture.search(db, city: "Windy", temperature: 10, wind: 30) }
        let first = try await AlertsFixture.run(url, environment: ["ALERT_WEBHOOK_URL": hook])
        #expect(first.state == .failed)
        let later = try await AlertsFixture.run(url, environment: [:])
        #expect(later.state == .succeeded, "\(later.error ?? "")")
        #expect(AlertsFixture.figure(later, "notifications.failed") == 1)
        let record = try #require(try await AlertsFixture.onlyAlertsNotifications(url).1.first)
        #expect(record.state == .failed)
        #expect(record.attempts == 1)
        #expect(record.lastError?.contains("no longer configured") == true)
    }

    @Test func anUnreachableSMTPServerLeavesTheNotificationPending() async throws {
        let url = try await AlertsFixture.fresh()
        try await AlertsFixture.on(url) { db in try AlertsFixture.search(db, city: "Hottown", temperature: 39) }
        let environment = [
            "ALERT_EMAIL_TO": "ops@example.test", "ALERT_EMAIL_FROM": "alerts@example.test",
            "SMTP_URL": "smtp://127.0.0.1:\(closedLocalPort())",
        ]
        let job = try await AlertsFixture.run(url, environment: environment)
        #expect(job.state == .failed)
        #expect(job.error?.contains("connection refused") == true, "\(job.error ?? "")")
        let record = try #require(try await AlertsFixture.onlyAlertsNotifications(url).1.first)
        #expect(record.state == .pending)
        #expect(record.attempts == 1)
    }
}

/// A one-shot signal from a thread.
final class ConditionFlagVoid: @unchecked Sendable {
    private let condition = NSCondition()
    private var done = false

    func set() {
        condition.lock()
        done = true
        condition.broadcast()
        condition.unlock()
    }

    func wait() {
        condition.lock()
        while !done { condition.wait() }
        condition.unlock()
    }
}
