import AppSupport
import FoundationEssentials
import Weather

/// One stored weather search: what the provider reported, when it was stored, and what
/// `async_weather_processing` derived from it (nil until then).
public struct WeatherSearch: Sendable, Equatable {
    /// The row id.
    public var id: Int
    /// The provider's report.
    public var weather: CurrentWeather
    /// When it was fetched and stored.
    public var searchedAt: Date
    /// The derived figures, once processed.
    public var derived: DerivedWeather?

    /// Creates a value from its parts.
    public init(id: Int, weather: CurrentWeather, searchedAt: Date, derived: DerivedWeather?) {
        self.id = id
        self.weather = weather
        self.searchedAt = searchedAt
        self.derived = derived
    }

    /// The JSON form for API answers and exports: the weather's fields plus `id`, `searched_at`
    /// and `derived` (an object, or null before processing).
    public var json: JSONValue {
        guard case .object(var fields) = weather.json else { return weather.json }
        fields["id"] = .int(id)
        fields["searched_at"] = .string(Timestamps.iso8601(searchedAt))
        fields["derived"] = derived?.json ?? .null
        return .object(fields)
    }
}
