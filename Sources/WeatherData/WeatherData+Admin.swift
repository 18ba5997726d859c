import FoundationEssentials
import Postgres

extension SearchStore {
    /// Stored searches, newest first, one page at a time, filtered by city (case-insensitive
    /// exact name) and by the time they were made (`from` inclusive, `to` exclusive); see
    /// `list(city:limit:before:on:)` for the cursor.
    public static func list(
        city: String?, from: Date?, to: Date?, limit: Int, before: Int?, on connection: PostgresConnection
    ) throws -> SearchPage {
        if from == nil && to == nil { return try list(city: city, limit: limit, before: before, on: connection) }
        let size = max(1, limit)
        var items = try connection.query(AdminWeatherQueries.searches(city: city, from: from, to: to, before: before, limit: size + 1))
            .map(WeatherSearch.init(listingRow:))
        let more = items.count > size
        if more { items.removeLast(items.count - size) }
        return SearchPage(items: items, nextBefore: more ? items.last?.id : nil)
    }
}

extension StatisticsStore {
    /// The cities (with their countries) that have statistics on or after `since` (`YYYY-MM-DD`),
    /// by name, at most `limit`.
    public static func cities(since: String, limit: Int = 1000, on connection: PostgresConnection) throws -> [(city: String, country: String)] {
        try connection.query(AdminWeatherQueries.statisticsCities(since: since, limit: max(1, limit))).map {
            (try $0.decode(String.self, "city"), try $0.decode(String.self, "country"))
        }
    }

    /// One city's daily statistics from `since` (`YYYY-MM-DD`) on, oldest day first.
    public static func history(city: String, country: String, since: String, on connection: PostgresConnection) throws -> [DailyStatistics] {
        try connection.query(AdminWeatherQueries.statisticsHistory(city: city, country: country, since: since)).map(DailyStatistics.init(row:))
    }
}

extension ExportStore {
    /// Up to `limit` export records, newest first, with ids below `before` when given.
    public static func page(before: Int?, limit: Int, on connection: PostgresConnection) throws -> [ExportRecord] {
        try connection.query(AdminWeatherQueries.exports(before: before, limit: max(1, limit))).map(ExportRecord.init(row:))
    }
}
