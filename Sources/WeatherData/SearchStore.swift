import FoundationEssentials
import Postgres
import Weather

/// Stores and reads weather searches.
public enum SearchStore {
    /// Stores `weather` as a new search (searched now) and returns the stored row.
    public static func insert(_ weather: CurrentWeather, on connection: PostgresConnection) throws -> WeatherSearch {
        guard let row = try connection.query(SearchQueries.insert(weather)).first else {
            throw PostgresError(kind: .usage, message: "the search row was not returned")
        }
        return try WeatherSearch(row: row)
    }

    /// The search with `id`, if any.
    public static func search(_ id: Int, on connection: PostgresConnection) throws -> WeatherSearch? {
        try connection.query(SearchQueries.byID(id)).first.map(WeatherSearch.init(row:))
    }
}

extension WeatherSearch {
    /// Reads a row selected with `SearchQueries.columns`.
    init(row: PostgresRow) throws {
        let weather = CurrentWeather(
            city: try row.decode(String.self, "city"), country: try row.decode(String.self, "country"),
            temperature: try row.decode(Double.self, "temperature"),
            feelsLike: try row.decode(Double?.self, "feels_like") ?? row.decode(Double.self, "temperature"),
            tempMin: try row.decode(Double?.self, "temp_min") ?? row.decode(Double.self, "temperature"),
            tempMax: try row.decode(Double?.self, "temp_max") ?? row.decode(Double.self, "temperature"),
            humidity: try row.decode(Int?.self, "humidity") ?? 0, pressure: try row.decode(Int?.self, "pressure") ?? 0,
            windSpeed: try row.decode(Double?.self, "wind_speed") ?? 0, windDirection: try row.decode(Int?.self, "wind_direction"),
            cloudiness: try row.decode(Int?.self, "cloudiness"), conditionCode: try row.decode(Int?.self, "condition_code") ?? 0,
            conditionMain: try row.decode(String?.self, "condition_main") ?? "",
            conditionDescription: try row.decode(String?.self, "condition_description") ?? "",
            observedAt: try row.decode(Date?.self, "observed_at") ?? row.decode(Date.self, "searched_at"),
            latitude: try row.decode(Double?.self, "latitude"), longitude: try row.decode(Double?.self, "longitude"))
        var derived: DerivedWeather?
        if let processedAt = try row.decode(Date?.self, "processed_at") {
            derived = DerivedWeather(
                dewPoint: try row.decode(Double?.self, "dew_point") ?? 0, heatIndex: try row.decode(Double?.self, "heat_index"),
                windChill: try row.decode(Double?.self, "wind_chill"), beaufort: try row.decode(Int?.self, "beaufort") ?? 0,
                comfort: try row.decode(String?.self, "comfort") ?? "", processedAt: processedAt)
        }
        self.init(id: try row.decode(Int.self, "id"), weather: weather, searchedAt: try row.decode(Date.self, "searched_at"), derived: derived)
    }
}
