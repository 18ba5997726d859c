import FoundationEssentials
import Postgres
import Weather

/// Named statements on `weather_searches`.
enum SearchQueries {
    /// The columns `WeatherSearch.init(row:)` reads, in one place.
    static let columns = """
        id, city, country, latitude, longitude, temperature, feels_like, temp_min, temp_max, humidity, pressure,
        wind_speed, wind_direction, cloudiness, condition_code, condition_main, condition_description, observed_at,
        searched_at, dew_point, heat_index, wind_chill, beaufort, comfort, processed_at
        """

    static func insert(_ weather: CurrentWeather) -> PostgresQuery {
        """
        INSERT INTO weather_searches (city, country, latitude, longitude, temperature, feels_like, temp_min, temp_max,
            humidity, pressure, wind_speed, wind_direction, cloudiness, condition_code, condition_main,
            condition_description, observed_at)
        VALUES (\(weather.city), \(weather.country), \(weather.latitude), \(weather.longitude), \(weather.temperature),
            \(weather.feelsLike), \(weather.tempMin), \(weather.tempMax), \(weather.humidity), \(weather.pressure),
            \(weather.windSpeed), \(weather.windDirection), \(weather.cloudiness), \(weather.conditionCode),
            \(weather.conditionMain), \(weather.conditionDescription), \(weather.observedAt))
        RETURNING \(unsafeRaw: columns)
        """
    }

    static func byID(_ id: Int) -> PostgresQuery {
        "SELECT \(unsafeRaw: columns) FROM weather_searches WHERE id = \(id)"
    }
}
