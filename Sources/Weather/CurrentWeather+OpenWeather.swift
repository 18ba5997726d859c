import FoundationEssentials

extension CurrentWeather {
    /// Decodes OpenWeather's current-weather JSON (metric units).
    ///
    /// Required: `name`, `main.temp`, `main.feels_like`, `main.temp_min`, `main.temp_max`,
    /// `main.humidity`, `main.pressure`, `wind.speed`, a non-empty `weather` with `id`, `main` and
    /// `description`, `dt`, and `sys.country` (unless `fallbackCountry` is given). Optional:
    /// `wind.deg`, `clouds.all`, `coord`. Other members are ignored. Numbers given with a
    /// fraction where an integer is expected are rounded.
    /// - Parameters:
    ///   - body: The response body.
    ///   - fallbackCountry: The country to use when the provider omits `sys.country` (it does for
    ///     some places), normally the one asked for.
    /// - Throws: ``WeatherProviderError/invalidResponse(_:)`` naming the missing or mistyped field,
    ///   or saying that the body is not JSON.
    public init(openWeatherJSON body: [UInt8], fallbackCountry: String? = nil) throws(WeatherProviderError) {
        let payload: OpenWeatherPayload
        do {
            payload = try JSONDecoder().decode(OpenWeatherPayload.self, from: Data(body))
        } catch let error as DecodingError {
            throw .invalidResponse(Self.explain(error, body: body))
        } catch {
            throw .invalidResponse("\(error)")
        }
        guard let condition = payload.weather.first else {
            throw .invalidResponse("field weather is empty")
        }
        guard let country = payload.sys?.country ?? fallbackCountry else {
            throw .invalidResponse("missing field sys.country")
        }
        self.init(
            city: payload.name,
            country: country,
            temperature: payload.main.temp,
            feelsLike: payload.main.feelsLike,
            tempMin: payload.main.tempMin,
            tempMax: payload.main.tempMax,
            humidity: Int(payload.main.humidity.rounded()),
            pressure: Int(payload.main.pressure.rounded()),
            windSpeed: payload.wind.speed,
            windDirection: payload.wind.deg.map { Int($0.rounded()) },
            cloudiness: payload.clouds?.all.map { Int($0.rounded()) },
            conditionCode: condition.id,
            conditionMain: condition.main,
            conditionDescription: condition.description,
            observedAt: Date(timeIntervalSince1970: payload.dt),
            latitude: payload.coord?.lat,
            longitude: payload.coord?.lon
        )
    }

    /// A short reason naming the field at fault.
    private static func explain(_ error: DecodingError, body: [UInt8]) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return text.isEmpty ? "(top level)" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \(path(context.codingPath + [key]))"
        case .valueNotFound(_, let context):
            return "field \(path(context.codingPath)) is null"
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty { return "body is not a JSON object" }
            return "field \(path(context.codingPath)) is not \(describe(type))"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "body is not JSON: \(snippet(body))"
        case .dataCorrupted(let context):
            return "field \(path(context.codingPath)) is invalid"
        @unknown default:
            return "\(error)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        if type == String.self { return "a string" }
        if type == Double.self || type == Int.self { return "a number" }
        if type is [Any].Type { return "an array" }
        return "an object"
    }

    /// The start of the body, on one line, for error messages.
    private static func snippet(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(80), as: UTF8.self)
            .map { $0.isNewline ? " " : $0 }
        return "\"" + String(text) + (body.count > 80 ? "…\"" : "\"")
    }
}

/// The members of OpenWeather's current-weather JSON this client reads.
struct OpenWeatherPayload: Decodable {
    struct Coordinates: Decodable {
        let lat: Double
        let lon: Double
    }

    struct Condition: Decodable {
        let id: Int
        let main: String
        let description: String
    }

    struct Main: Decodable {
        let temp: Double
        let feelsLike: Double
        let tempMin: Double
        let tempMax: Double
        let pressure: Double
        let humidity: Double

        enum CodingKeys: String, CodingKey {
            case temp, pressure, humidity
            case feelsLike = "feels_like"
            case tempMin = "temp_min"
            case tempMax = "temp_max"
        }
    }

    struct Wind: Decodable {
        let speed: Double
        let deg: Double?
    }

    struct Clouds: Decodable {
        let all: Double?
    }

    struct System: Decodable {
        let country: String?
    }

    let coord: Coordinates?
    let weather: [Condition]
    let main: Main
    let wind: Wind
    let clouds: Clouds?
    let dt: Double
    let sys: System?
    let name: String
}
