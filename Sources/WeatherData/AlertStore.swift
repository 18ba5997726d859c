import FoundationEssentials
import Postgres

/// Raises weather alerts from stored searches and reads them back.
///
/// Detection reads the searches after a cursor (`task_cursors`, named ``cursorName``), raises
/// the alerts with one statement per chunk of searches, queues their notifications and moves
/// the cursor, all in one transaction under an advisory lock, so overlapping runs (two hosts,
/// a manual run during a scheduled one) neither skip nor repeat anything.
public enum AlertStore {
    /// The cursor's name in `task_cursors`.
    public static let cursorName = "send_weather_alerts"
    /// No second alert of one kind for one city within this time of another.
    public static let repeatWindow: Duration = .seconds(6 * 3600)

    /// The highest search id below which every search is settled (committed or rolled back).
    ///
    /// Search ids come from a sequence, so a transaction still writing may hold an id below the
    /// highest visible one; a cursor moved past it would skip that search forever. This reads
    /// the highest visible id, then waits, without taking any lock, until the transactions that
    /// were writing `weather_searches` at that moment have ended (any later writer gets a higher
    /// id). `pause` is called between looks (sleep there, and throw to stop waiting).
    /// - Returns: The horizon, or nil when writers were still open after `maxWait`.
    public static func settledHorizon(
        after cursor: Int, on connection: PostgresConnection, maxWait: Duration = .seconds(30),
        pause: (Duration) throws -> Void
    ) throws -> Int? {
        let horizon = try connection.query(AlertQueries.searchHorizon).first?.decode(Int.self, "horizon") ?? 0
        guard horizon > cursor else { return horizon }
        let writers = try connection.query(AlertQueries.searchWriters).map { try $0.decode(String.self, "virtualtransaction") }
        guard !writers.isEmpty else { return horizon }
        let clock = ContinuousClock()
        let deadline = clock.now + maxWait
        while true {
            let open = try connection.query(AlertQueries.openWriters(PostgresTextArray(writers))).first?.decode(Int.self, "open") ?? 0
            if open == 0 { return horizon }
            if clock.now >= deadline { return nil }
            try pause(.milliseconds(50))
        }
    }

    /// The cursor: the last search id detection looked at (0 before the first run).
    public static func cursor(on connection: PostgresConnection) throws -> Int {
        try connection.query(AlertQueries.cursor(cursorName)).first?.decode(Int.self, "position") ?? 0
    }

    /// Raises the alerts of the searches after the cursor, up to `horizon`, and queues a pending
    /// notification per new alert and target.
    /// - Parameters:
    ///   - thresholds: The limits.
    ///   - targets: Where each new alert is to be sent (`channel`, `target`); may be empty.
    ///   - horizon: The last search id to look at (see ``settledHorizon(after:on:maxWait:pause:)``).
    ///   - chunkSize: Searches per transaction.
    ///   - connection: Not inside a transaction.
    ///   - beforeChunk: Called before each chunk (a checkpoint: throw to stop between chunks).
    public static func detect(
        thresholds: AlertThresholds, targets: [(channel: String, target: String)], upTo horizon: Int, chunkSize: Int = 5000,
        on connection: PostgresConnection, beforeChunk: () throws -> Void = {}
    ) throws -> AlertDetection {
        var summary = AlertDetection(cursor: try cursor(on: connection))
        let channels = PostgresTextArray(targets.map(\.channel))
        let addresses = PostgresTextArray(targets.map(\.target))
        while true {
            try beforeChunk()
            // Applied to the summary only once the chunk's transaction has committed.
            let chunk = try connection.transaction { db -> ChunkOutcome in
                try db.query(AlertQueries.lockDetection)
                try db.execute(AlertQueries.ensureCursor(cursorName))
                var outcome = ChunkOutcome()
                outcome.cursor = try db.query(AlertQueries.cursor(cursorName)).first?.decode(Int.self, "position") ?? 0
                guard let bounds = try db.query(AlertQueries.chunk(after: outcome.cursor, horizon: horizon, limit: max(1, chunkSize))).first
                else { return outcome }
                outcome.searches = try bounds.decode(Int.self, "searches")
                guard outcome.searches > 0 else { return outcome }
                let upto = try bounds.decode(Int.self, "upto")
                let rows = try db.query(
                    AlertQueries.detect(
                        after: outcome.cursor, upto: upto, thresholds: thresholds, windowSeconds: repeatWindow / .seconds(1),
                        channels: channels, targets: addresses))
                for row in rows {
                    if let kind = AlertKind(rawValue: try row.decode(String.self, "kind")) {
                        outcome.alerts[kind, default: 0] += try row.decode(Int.self, "alerts")
                    }
                    outcome.notifications = try row.decode(Int.self, "notifications")
                }
                try db.execute(AlertQueries.advanceCursor(cursorName, to: upto))
                outcome.cursor = upto
                return outcome
            }
            summary.cursor = chunk.cursor
            summary.searchesExamined += chunk.searches
            summary.notificationsQueued += chunk.notifications
            for (kind, count) in chunk.alerts { summary.alertsByKind[kind, default: 0] += count }
            if chunk.searches < max(1, chunkSize) { return summary }
        }
    }

    private struct ChunkOutcome {
        var cursor = 0
        var searches = 0
        var alerts: [AlertKind: Int] = [:]
        var notifications = 0
    }

    /// Alerts, newest first: at most `limit`, with ids below `before` when given (pass the last
    /// id of a page to get the next one).
    public static func recent(limit: Int, before: Int? = nil, on connection: PostgresConnection) throws -> [WeatherAlert] {
        try connection.query(AlertQueries.recent(limit: max(0, limit), before: before)).map { try WeatherAlert(row: $0) }
    }

    /// The alert with `id`, if any.
    public static func alert(_ id: Int, on connection: PostgresConnection) throws -> WeatherAlert? {
        try connection.query(AlertQueries.byID(id)).first.map { try WeatherAlert(row: $0) }
    }
}

extension WeatherAlert {
    /// Reads a row selected with `AlertQueries.columns` (or the same names, `created_at` as
    /// `createdColumn`).
    init(row: PostgresRow, idColumn: String = "id", createdColumn: String = "created_at") throws {
        let kindText = try row.decode(String.self, "kind")
        guard let kind = AlertKind(rawValue: kindText) else {
            throw PostgresError(kind: .decoding, message: "unknown alert kind \(kindText)")
        }
        self.init(
            id: try row.decode(Int.self, idColumn), searchID: try row.decode(Int?.self, "search_id"),
            city: try row.decode(String.self, "city"), country: try row.decode(String.self, "country"), kind: kind,
            value: try row.decode(Double.self, "value"), threshold: try row.decode(Double.self, "threshold"),
            message: try row.decode(String.self, "message"), observedAt: try row.decode(Date.self, "observed_at"),
            createdAt: try row.decode(Date.self, createdColumn))
    }
}
