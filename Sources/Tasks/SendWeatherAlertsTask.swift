import AppSupport
import Jobs
import Notifications
import Postgres
import WeatherData

/// `send_weather_alerts`: raises alerts from the searches stored since its last run, then
/// delivers every pending notification (new and older ones).
///
/// Rules: heat at or above `heat_c` (°C), cold at or below `cold_c`, wind at or above `wind_ms`
/// (m/s), thunderstorm for condition codes 2xx. The thresholds come from `ALERT_HEAT_C` (35),
/// `ALERT_COLD_C` (-10) and `ALERT_WIND_MS` (20); the args `heat_c`, `cold_c`, `wind_ms`
/// override them for one run. A city (case-insensitive, per country) gets no second alert of
/// one kind within 6 hours of another.
///
/// Each new alert gets a pending notification per configured target (every `ALERT_EMAIL_TO`
/// address, the `ALERT_WEBHOOK_URL`); without any, alerts are still recorded. A failed delivery
/// stays pending until `ALERT_NOTIFY_MAX_ATTEMPTS` attempts (5), unless retrying cannot help;
/// when deliveries are still pending after a run, the task throws a retryable error so the queue
/// runs it again with backoff (detecting again is harmless: the cursor and the 6-hour rule make
/// it idempotent).
public enum SendWeatherAlertsTask {
    /// The registered name.
    public static let name = "send_weather_alerts"

    /// The task's registration, configured from `environment`.
    public static func definition(environment: Environment) -> TaskDefinition {
        TaskDefinition(
            name: name, summary: "Raise heat, cold, wind and thunderstorm alerts from new searches; notify by e-mail and webhook.",
            maxAttempts: 5, timeoutSeconds: 1800
        ) { context in try run(context, environment: environment) }
    }

    /// Thrown when deliveries are still pending after this attempt (retryable: the queue runs
    /// the task again with backoff).
    struct DeliveriesPending: Error, CustomStringConvertible {
        var pending: Int
        var deferred: Bool
        var lastError: String?

        var description: String {
            var parts: [String] = []
            if pending > 0 {
                parts.append("\(pending) notification\(pending == 1 ? "" : "s") still pending" + (lastError.map { " (last error: \($0))" } ?? ""))
            }
            if deferred { parts.append("searches still being written kept detection from finishing") }
            return parts.joined(separator: "; ") + "; will retry"
        }
    }

    /// What the delivery pass did.
    struct Deliveries {
        var sent = 0
        var failed = 0
        var stillPending = 0
        var lastError: String?
    }

    static func run(_ context: JobContext, environment: Environment) throws -> JSONValue {
        let args = try TaskArguments(context.args, allowed: ["heat_c", "cold_c", "wind_ms"])
        var thresholds: AlertThresholds
        let notifierConfiguration: AlertNotifierConfiguration
        do {
            thresholds = try AlertThresholds(environment: environment)
            notifierConfiguration = try AlertNotifierConfiguration(environment: environment)
        } catch {
            throw PermanentFailure("\(error)")
        }
        if let heat = try args.number("heat_c", range: AlertThresholds.temperatureRange) { thresholds.heatC = heat }
        if let cold = try args.number("cold_c", range: AlertThresholds.temperatureRange) { thresholds.coldC = cold }
        if let wind = try args.number("wind_ms", range: AlertThresholds.windRange) { thresholds.windMS = wind }
        guard thresholds.coldC < thresholds.heatC else {
            throw PermanentFailure("cold_c (\(thresholds.coldC)) must be below heat_c (\(thresholds.heatC))")
        }

        let db = try context.database()
        let targets = notifierConfiguration.targets
        let startCursor = try AlertStore.cursor(on: db)
        var detection = AlertDetection(cursor: startCursor)
        if let horizon = try AlertStore.settledHorizon(after: startCursor, on: db, pause: { try context.sleep($0) }) {
            detection = try AlertStore.detect(
                thresholds: thresholds, targets: targets.map { (channel: $0.channel.rawValue, target: $0.address) }, upTo: horizon,
                on: db, beforeChunk: { try context.checkpoint() })
        } else {
            detection.deferred = true
        }
        try context.checkpoint()

        let deliveries = try deliverPending(context: context, db: db, configuration: notifierConfiguration)
        if deliveries.stillPending > 0 || detection.deferred {
            throw DeliveriesPending(pending: deliveries.stillPending, deferred: detection.deferred, lastError: deliveries.lastError)
        }

        var notifications: [String: JSONValue] = [
            "configured": .bool(notifierConfiguration.isConfigured),
            "targets": .array(targets.map { .string($0.description) }),
            "queued": .int(detection.notificationsQueued), "sent": .int(deliveries.sent), "failed": .int(deliveries.failed),
            "pending": .int(deliveries.stillPending),
        ]
        if !notifierConfiguration.isConfigured {
            notifications["message"] =
                "notifications are not configured: set ALERT_EMAIL_TO (with ALERT_EMAIL_FROM and SMTP_URL) or ALERT_WEBHOOK_URL"
        }
        if let lastError = deliveries.lastError { notifications["last_error"] = .string(lastError) }
        return [
            "searches_examined": .int(detection.searchesExamined), "cursor": .int(detection.cursor),
            "thresholds": thresholds.json, "alerts_created": detection.alertsJSON, "alerts_total": .int(detection.alertsCreated),
            "notifications": .object(notifications),
        ]
    }

    /// Delivers every pending notification once, oldest first, holding the senders' lock, and
    /// records each outcome; a checkpoint before each one.
    static func deliverPending(context: JobContext, db: PostgresConnection, configuration: AlertNotifierConfiguration) throws -> Deliveries {
        try NotificationStore.withSendingLock(on: db, pause: { try context.sleep($0) }) {
            var outcome = Deliveries()
            let total = try NotificationStore.pendingCount(on: db)
            guard total > 0 else { return outcome }
            let notifier = AlertNotifier(configuration: configuration)
            var done = 0
            var after = 0
            context.progress(0, of: total, "notifying")
            while true {
                let batch = try NotificationStore.pending(after: after, limit: 100, on: db)
                if batch.isEmpty { break }
                for item in batch {
                    try context.checkpoint()
                    after = item.notification.id
                    let state = try deliver(item, with: notifier, maxAttempts: configuration.maxAttempts, db: db, outcome: &outcome)
                    switch state {
                    case .sent?: outcome.sent += 1
                    case .failed?: outcome.failed += 1
                    case .pending?: outcome.stillPending += 1
                    case nil: break  // taken care of elsewhere meanwhile
                    }
                    done += 1
                    context.progress(done, of: max(total, done), "notifying")
                }
            }
            return outcome
        }
    }

    /// Delivers one notification and records the outcome; returns its state afterwards.
    private static func deliver(
        _ item: PendingNotification, with notifier: AlertNotifier, maxAttempts: Int, db: PostgresConnection, outcome: inout Deliveries
    ) throws -> NotificationState? {
        let record = item.notification
        guard let channel = NotificationChannel(rawValue: record.channel) else {
            return try NotificationStore.giveUp(record.id, reason: "unknown channel \(record.channel)", on: db)?.state
        }
        let target = NotificationTarget(channel: channel, address: record.target)
        let alert = item.alert
        let notice = AlertNotice(
            alertID: alert.id, city: alert.city, country: alert.country, kind: alert.kind.rawValue, value: alert.value,
            threshold: alert.threshold, message: alert.message, observedAt: alert.observedAt)
        do throws(NotificationError) {
            try notifier.deliver(notice, to: target)
        } catch .notConfigured {
            let reason = NotificationError.notConfigured(target).description
            return try NotificationStore.giveUp(record.id, reason: reason, on: db)?.state
        } catch {
            outcome.lastError = error.description
            return try NotificationStore.recordFailure(
                record.id, error: error.description, permanent: error.isPermanent, maxAttempts: maxAttempts, on: db)?.state
        }
        return try NotificationStore.recordSent(record.id, on: db)?.state
    }
}
