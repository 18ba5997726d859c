import AppSupport
import FoundationEssentials

/// One city's figures for one UTC day, as `generate_weather_statistics` stores them in
/// `weather_daily_statistics`.
public struct DailyStatistics: Sendable, Equatable {
    /// The UTC day, `YYYY-MM-DD`.
    public var day: String
    /// The provider's name for the place.
    public var city: String
    /// ISO 3166 alpha-2 code, or empty.
    public var country: String
    /// Searches that day.
    public var searches: Int
    /// Temperature, °C.
    public var temperature: Range<Double>
    /// Relative humidity, % (nil when no search that day reported it).
    public var humidity: Range<Double>?
    /// Wind speed, m/s (nil when no search that day reported it).
    public var windSpeed: Range<Double>?
    /// When the row was generated.
    public var generatedAt: Date

    /// Average, lowest and highest of one measure.
    public struct Range<Value: Sendable & Equatable>: Sendable, Equatable {
        public var average: Double
        public var minimum: Value
        public var maximum: Value

        /// Creates a range.
        public init(average: Double, minimum: Value, maximum: Value) {
            self.average = average
            self.minimum = minimum
            self.maximum = maximum
        }
    }

    /// Creates a value from its fields.
    public init(
        day: String, city: String, country: String, searches: Int, temperature: Range<Double>, humidity: Range<Double>?,
        windSpeed: Range<Double>?, generatedAt: Date
    ) {
        self.day = day
        self.city = city
        self.country = country
        self.searches = searches
        self.temperature = temperature
        self.humidity = humidity
        self.windSpeed = windSpeed
        self.generatedAt = generatedAt
    }

    /// The JSON form: `{day, city, country, searches, temperature: {avg, min, max}, humidity:
    /// {...} or null, wind_speed: {...} or null, generated_at}`.
    public var json: JSONValue {
        func range(_ value: Range<Double>?) -> JSONValue {
            guard let value else { return .null }
            return ["avg": .double(value.average), "min": .double(value.minimum), "max": .double(value.maximum)]
        }
        return [
            "day": .string(day), "city": .string(city), "country": .string(country), "searches": .int(searches),
            "temperature": range(temperature), "humidity": range(humidity), "wind_speed": range(windSpeed),
            "generated_at": .string(Timestamps.iso8601(generatedAt)),
        ]
    }
}
