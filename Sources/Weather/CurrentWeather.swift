import AppSupport
import FoundationEssentials

/// The current weather at one place, in metric units, as the provider reported it.
public struct CurrentWeather: Sendable, Equatable {
    /// The provider's name for the place (`name`), e.g. `"Paris"`.
    public var city: String
    /// The ISO 3166 country code (`sys.country`), e.g. `"FR"`.
    public var country: String
    /// Temperature in °C (`main.temp`).
    public var temperature: Double
    /// Perceived temperature in °C (`main.feels_like`).
    public var feelsLike: Double
    /// Lowest temperature currently observed in the area, °C (`main.temp_min`).
    public var tempMin: Double
    /// Highest temperature currently observed in the area, °C (`main.temp_max`).
    public var tempMax: Double
    /// Relative humidity in percent (`main.humidity`).
    public var humidity: Int
    /// Atmospheric pressure at sea level in hPa (`main.pressure`).
    public var pressure: Int
    /// Wind speed in m/s (`wind.speed`).
    public var windSpeed: Double
    /// Wind direction in degrees (`wind.deg`), when reported.
    public var windDirection: Int?
    /// Cloud cover in percent (`clouds.all`), when reported.
    public var cloudiness: Int?
    /// OpenWeather's condition code (`weather[0].id`), e.g. 800 for a clear sky, 2xx for thunderstorms.
    public var conditionCode: Int
    /// The condition group (`weather[0].main`), e.g. `"Clouds"`.
    public var conditionMain: String
    /// The condition in words (`weather[0].description`), e.g. `"scattered clouds"`.
    public var conditionDescription: String
    /// When the data was observed (`dt`).
    public var observedAt: Date
    /// Latitude in degrees (`coord.lat`), when reported.
    public var latitude: Double?
    /// Longitude in degrees (`coord.lon`), when reported.
    public var longitude: Double?

    /// Creates a value from its fields.
    public init(
        city: String, country: String, temperature: Double, feelsLike: Double, tempMin: Double, tempMax: Double,
        humidity: Int, pressure: Int, windSpeed: Double, windDirection: Int?, cloudiness: Int?,
        conditionCode: Int, conditionMain: String, conditionDescription: String, observedAt: Date,
        latitude: Double?, longitude: Double?
    ) {
        self.city = city
        self.country = country
        self.temperature = temperature
        self.feelsLike = feelsLike
        self.tempMin = tempMin
        self.tempMax = tempMax
        self.humidity = humidity
        self.pressure = pressure
        self.windSpeed = windSpeed
        self.windDirection = windDirection
        self.cloudiness = cloudiness
        self.conditionCode = conditionCode
        self.conditionMain = conditionMain
        self.conditionDescription = conditionDescription
        self.observedAt = observedAt
        self.latitude = latitude
        self.longitude = longitude
    }

    /// The JSON form for API answers and task results: snake_case keys, absent optionals as `null`,
    /// `observed_at` as ISO 8601 UTC text.
    public var json: JSONValue {
        func optional(_ value: Int?) -> JSONValue { value.map { .int($0) } ?? .null }
        func optional(_ value: Double?) -> JSONValue { value.map { .double($0) } ?? .null }
        return .object([
            "city": .string(city),
            "country": .string(country),
            "temperature": .double(temperature),
            "feels_like": .double(feelsLike),
            "temp_min": .double(tempMin),
            "temp_max": .double(tempMax),
            "humidity": .int(humidity),
            "pressure": .int(pressure),
            "wind_speed": .double(windSpeed),
            "wind_direction": optional(windDirection),
            "cloudiness": optional(cloudiness),
            "condition_code": .int(conditionCode),
            "condition_main": .string(conditionMain),
            "condition_description": .string(conditionDescription),
            "observed_at": .string(Timestamps.iso8601(observedAt)),
            "latitude": optional(latitude),
            "longitude": optional(longitude),
        ])
    }
}
