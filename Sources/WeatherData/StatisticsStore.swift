import FoundationEssentials
import Postgres

/// Generates and reads daily statistics (`weather_daily_statistics`).
public enum StatisticsStore {
    /// What one generation did.
    public struct Generation: Sendable, Equatable {
        /// Rows written: one per city and country searched that day.
        public var cities: Int
        /// Searches summed.
        public var searches: Int
        /// Rows of an earlier generation of the same day that were replaced.
        public var replaced: Int
    }

    /// Generates the statistics of `day` (UTC, `YYYY-MM-DD`) from the searches made between its
    /// midnight and the next (UTC), replacing any earlier ones of that day, in one transaction:
    /// running it again replaces, never duplicates, and readers see the old rows or the new ones,
    /// never a mix. Runs for the same day are serialised.
    public static func generate(day: String, from: Date, to: Date, on connection: PostgresConnection) throws -> Generation {
        try connection.transaction { tx in
            try tx.execute(StatisticsQueries.lockDay(day))
            let replaced = try tx.execute(StatisticsQueries.deleteDay(day))
            guard let row = try tx.query(StatisticsQueries.generateDay(day, from: from, to: to)).first else {
                throw PostgresError(kind: .usage, message: "the statistics summary row was not returned")
            }
            return Generation(
                cities: try row.decode(Int.self, "cities"), searches: try row.decode(Int.self, "searches"), replaced: replaced)
        }
    }

    /// The statistics of `day` (`YYYY-MM-DD`), by city and country; empty when none were generated.
    public static func statistics(for day: String, on connection: PostgresConnection) throws -> [DailyStatistics] {
        try connection.query(StatisticsQueries.forDay(day)).map(DailyStatistics.init(row:))
    }

    /// Up to `limit` statistics of `day` after the city and country `after` (nil: from the
    /// first), by city and country.
    public static func page(
        for day: String, after: (city: String, country: String)?, limit: Int, on connection: PostgresConnection
    ) throws -> [DailyStatistics] {
        try connection.query(StatisticsQueries.page(day, after: after, limit: max(1, limit))).map(DailyStatistics.init(row:))
    }
}

extension DailyStatistics {
    /// Reads a row selected with `StatisticsQueries.columns`.
    init(row: PostgresRow) throws {
        func range(_ name: String) throws -> Range<Double>? {
            guard let average = try row.decode(Double?.self, "\(name)_avg") else { return nil }
            return Range(
                average: average, minimum: try row.decode(Double.self, "\(name)_min"), maximum: try row.decode(Double.self, "\(name)_max"))
        }
        self.init(
            day: try row.decode(String.self, "day"), city: try row.decode(String.self, "city"),
            country: try row.decode(String.self, "country"), searches: try row.decode(Int.self, "searches"),
            temperature: try range("temperature")!, humidity: try range("humidity"), windSpeed: try range("wind_speed"),
            generatedAt: try row.decode(Date.self, "generated_at"))
    }
}
