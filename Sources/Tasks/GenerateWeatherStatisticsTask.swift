import AppSupport
import FoundationEssentials
import Jobs
import Postgres
import WeatherData

/// `generate_weather_statistics`: per city and day, the count and the average, lowest and
/// highest temperature, humidity and wind speed of the searches, into
/// `weather_daily_statistics`, in one set-based statement.
///
/// Args: `date` (`YYYY-MM-DD`; default today). Days are UTC: a day holds the searches made from
/// its midnight UTC to the next. Running it again replaces the day's rows (in one transaction),
/// never duplicates them.
///
/// Result: `{date, cities, searches, replaced, duration_ms}`.
public enum GenerateWeatherStatisticsTask {
    /// The registered name.
    public static let name = "generate_weather_statistics"

    /// The task's registration.
    public static let definition = TaskDefinition(
        name: name,
        summary: "Per city and UTC day (`date`, default today in UTC): count and avg/min/max of temperature, humidity, wind; replaces the day.",
        maxAttempts: 3, timeoutSeconds: 1800, run: { context in try run(context) })

    static func run(_ context: JobContext) throws -> JSONValue {
        let started = ContinuousClock.now
        let args = try TaskArguments(context.args, allowed: ["date"])
        let day = try args.date("date") ?? CalendarDay(utc: Date())
        let database = try context.database()
        try context.checkpoint()
        context.progress(0, of: 1, "generating \(day)")
        let midnight = day.midnightUTC
        let generation = try StatisticsStore.generate(
            day: day.description, from: midnight, to: midnight.addingTimeInterval(86_400), on: database)
        context.progress(1, of: 1, "\(generation.cities) cities, \(generation.searches) searches")
        return [
            "date": .string(day.description), "cities": .int(generation.cities), "searches": .int(generation.searches),
            "replaced": .int(generation.replaced), "duration_ms": .int(Int((started.duration(to: .now) / .milliseconds(1)).rounded())),
        ]
    }
}
