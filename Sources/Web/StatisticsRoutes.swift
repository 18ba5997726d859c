import AppSupport
import FoundationEssentials
import WeatherData

/// `GET /api/statistics?date=YYYY-MM-DD`: the daily statistics per city of one UTC day (today
/// by default), as `generate_weather_statistics` stored them: `{"date": ..., "items": [...]}`,
/// by city and country. No token needed.
enum StatisticsRoutes {
    static func register(in router: inout Router, services: WebServices) {
        router.add("GET", "/api/statistics") { request, _, context in
            let day: String
            if let text = request.query["date"] {
                guard let valid = StatisticsDate.validated(text) else {
                    throw APIError.badRequest(field: "date", "must be a calendar date YYYY-MM-DD, got \(String(text.prefix(40)).debugDescription)")
                }
                day = valid
            } else {
                day = StatisticsDate.today()
            }
            let rows = try StatisticsStore.statistics(for: day, on: context.database())
            return .json(["date": .string(day), "items": .array(rows.map(\.json))])
        }
    }
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
