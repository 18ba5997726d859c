import AppSupport
import FoundationEssentials
import WeatherData

/// `GET /api/statistics?date=YYYY-MM-DD&limit=&after=`: the daily statistics per city of one UTC
/// day (today by default), as `generate_weather_statistics` stored them, by city and country, a
/// page at a time: `{"date": ..., "items": [...], "next_after": cursor or null}`. No token needed.
enum StatisticsRoutes {
    static func register(in router: inout Router, services: WebServices) {
        router.add("GET", "/api/statistics") { request, _, context in
            let query = QueryParameters(request)
            let limit = try ListPaging.limit(query)
            let after = try query.optional("after").map { text in
                guard let cursor = StatisticsCursor(text) else {
                    throw APIError.badRequest(field: "after", "must be the next_after of the previous page (CITY,COUNTRY)")
                }
                return cursor
            }
            let day: String
            if let text = try query.optional("date") {
                guard let valid = StatisticsDate.validated(text) else {
                    throw APIError.badRequest(field: "date", "must be a calendar date YYYY-MM-DD, got \(String(text.prefix(40)).debugDescription)")
                }
                day = valid
            } else {
                day = StatisticsDate.today()
            }
            var rows = try StatisticsStore.page(
                for: day, after: after.map { ($0.city, $0.country) }, limit: limit + 1, on: context.database())
            let more = rows.count > limit
            if more { rows.removeLast(rows.count - limit) }
            let next: JSONValue = more ? .string(StatisticsCursor(city: rows[limit - 1].city, country: rows[limit - 1].country).text) : .null
            return .json(["date": .string(day), "items": .array(rows.map(\.json)), "next_after": next])
        }
    }
}

/// The cursor of the statistics list: the last row's `CITY,COUNTRY` (the country, a code
/// without commas, follows the last comma, so a city may hold commas).
struct StatisticsCursor: Equatable {
    var city: String
    var country: String

    init(city: String, country: String) {
        self.city = city
        self.country = country
    }

    /// Reads `CITY,COUNTRY` (country may be empty, the whole at most 200 characters); nil without
    /// a comma, with an empty city or a city starting with a comma.
    init?(_ text: String) {
        // By scalars, not characters: a combining mark after the comma would hide it in a grapheme.
        let scalars = text.unicodeScalars
        guard scalars.count <= 200, scalars.first != ",", let comma = scalars.lastIndex(of: ",") else { return nil }
        city = String(scalars[..<comma])
        country = String(scalars[scalars.index(after: comma)...])
    }

    var text: String { "\(city),\(country)" }
}

/// The `date` parameter of `/api/statistics`.
enum StatisticsDate {
    /// Today in UTC, `YYYY-MM-DD`.
    static func today(now: Date = Date()) -> String {
        String(Timestamps.iso8601(now).prefix(10))
    }

    /// `text` when it is a real calendar date `YYYY-MM-DD` (years 1 to 9999), else nil.
    static func validated(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), year >= 1, (1...12).contains(month)
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return nil }
        return text
    }
}
