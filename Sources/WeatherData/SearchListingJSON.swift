import AppSupport
import FoundationEssentials
import Postgres
import Weather

/// Writes search pages as JSON bytes directly: the same text `WeatherSearch.json.serialized`
/// gives (keys sorted, same number and string forms), without building `JSONValue` trees,
/// which cost most of a `GET /api/searches` answer.
public enum SearchListingJSON {
    /// `{"items":[...],"next_before":id or null}` for `page`.
    public static func page(_ page: SearchPage) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + page.items.count * 720)
        out.append(contentsOf: #"{"items":["#.utf8)
        for (index, search) in page.items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            write(search, into: &out)
        }
        out.append(contentsOf: #"],"next_before":"#.utf8)
        if let next = page.nextBefore { out.append(contentsOf: String(next).utf8) } else { out.append(contentsOf: "null".utf8) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Appends one search's JSON object (as `WeatherSearch.json`) to `out`.
    public static func write(_ search: WeatherSearch, into out: inout [UInt8]) {
        let weather = search.weather
        key("city", first: true, &out); string(weather.city, &out)
        key("cloudiness", &out); int(weather.cloudiness, &out)
        key("condition_code", &out); int(weather.conditionCode, &out)
        key("condition_description", &out); string(weather.conditionDescription, &out)
        key("condition_main", &out); string(weather.conditionMain, &out)
        key("country", &out); string(weather.country, &out)
        key("derived", &out)
        if let derived = search.derived {
            key("beaufort", first: true, &out); int(derived.beaufort, &out)
            key("comfort", &out); string(derived.comfort, &out)
            key("dew_point", &out); double(derived.dewPoint, &out)
            key("heat_index", &out); double(derived.heatIndex, &out)
            key("processed_at", &out); date(derived.processedAt, &out)
            key("wind_chill", &out); double(derived.windChill, &out)
            out.append(UInt8(ascii: "}"))
        } else {
            out.append(contentsOf: "null".utf8)
        }
        key("feels_like", &out); double(weather.feelsLike, &out)
        key("humidity", &out); int(weather.humidity, &out)
        key("id", &out); int(search.id, &out)
        key("latitude", &out); double(weather.latitude, &out)
        key("longitude", &out); double(weather.longitude, &out)
        key("observed_at", &out); date(weather.observedAt, &out)
        key("pressure", &out); int(weather.pressure, &out)
        key("searched_at", &out); date(search.searchedAt, &out)
        key("temp_max", &out); double(weather.tempMax, &out)
        key("temp_min", &out); double(weather.tempMin, &out)
        key("temperature", &out); double(weather.temperature, &out)
        key("wind_direction", &out); int(weather.windDirection, &out)
        key("wind_speed", &out); double(weather.windSpeed, &out)
        out.append(UInt8(ascii: "}"))
    }

    private static func key(_ name: StaticString, first: Bool = false, _ out: inout [UInt8]) {
        out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: #"":"#.utf8)
    }

    private static func int(_ value: Int?, _ out: inout [UInt8]) {
        guard let value else { return out.append(contentsOf: "null".utf8) }
        if value >= 0 && value < 10 { return out.append(UInt8(48 + value)) }
        out.append(contentsOf: String(value).utf8)
    }

    private static func double(_ value: Double?, _ out: inout [UInt8]) {
        guard let value, value.isFinite else { return out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: value.description.utf8)
    }

    private static func date(_ value: Date, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: Timestamps.iso8601(value).utf8)
        out.append(UInt8(ascii: "\""))
    }

    /// A JSON string with `JSONValue`'s escapes (`<`, `>` and `&` as `\u00XX`, control
    /// characters, U+2028 and U+2029).
    static func string(_ value: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var plain = true
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x3C || byte == 0x3E || byte == 0x26 || byte == 0xE2 {
            plain = false
            break
        }
        if plain {
            out.append(contentsOf: value.utf8)
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out.append(contentsOf: #"\""#.utf8)
                case "\\": out.append(contentsOf: #"\\"#.utf8)
                case "\n": out.append(contentsOf: #"\n"#.utf8)
                case "\r": out.append(contentsOf: #"\r"#.utf8)
                case "\t": out.append(contentsOf: #"\t"#.utf8)
                case "<": out.append(contentsOf: #"\u003c"#.utf8)
                case ">": out.append(contentsOf: #"\u003e"#.utf8)
                case "&": out.append(contentsOf: #"\u0026"#.utf8)
                default:
                    if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                        let hex = String(scalar.value, radix: 16)
                        out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                    } else {
                        out.append(contentsOf: String(scalar).utf8)
                    }
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension WeatherSearch {
    /// Reads a row selected with `SearchQueries.columns`, by position (that list's order), with
    /// the same fallbacks as `init(row:)`.
    init(listingRow row: PostgresRow) throws {
        let temperature = try row.decode(Double.self, at: 5)
        let searchedAt = try row.decode(Date.self, at: 18)
        let weather = CurrentWeather(
            city: try row.decode(String.self, at: 1), country: try row.decode(String.self, at: 2), temperature: temperature,
            feelsLike: try row.decode(Double?.self, at: 6) ?? temperature, tempMin: try row.decode(Double?.self, at: 7) ?? temperature,
            tempMax: try row.decode(Double?.self, at: 8) ?? temperature, humidity: try row.decode(Int?.self, at: 9) ?? 0,
            pressure: try row.decode(Int?.self, at: 10) ?? 0, windSpeed: try row.decode(Double?.self, at: 11) ?? 0,
            windDirection: try row.decode(Int?.self, at: 12), cloudiness: try row.decode(Int?.self, at: 13),
            conditionCode: try row.decode(Int?.self, at: 14) ?? 0, conditionMain: try row.decode(String?.self, at: 15) ?? "",
            conditionDescription: try row.decode(String?.self, at: 16) ?? "",
            observedAt: try row.decode(Date?.self, at: 17) ?? searchedAt,
            latitude: try row.decode(Double?.self, at: 3), longitude: try row.decode(Double?.self, at: 4))
        var derived: DerivedWeather?
        if let processedAt = try row.decode(Date?.self, at: 24) {
            derived = DerivedWeather(
                dewPoint: try row.decode(Double?.self, at: 19) ?? 0, heatIndex: try row.decode(Double?.self, at: 20),
                windChill: try row.decode(Double?.self, at: 21), beaufort: try row.decode(Int?.self, at: 22) ?? 0,
                comfort: try row.decode(String?.self, at: 23) ?? "", processedAt: processedAt)
        }
        self.init(id: try row.decode(Int.self, at: 0), weather: weather, searchedAt: searchedAt, derived: derived)
    }
}
