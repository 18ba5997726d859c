import AppSupport
import FoundationEssentials
import Testing
import Weather
import WeatherData

/// `SearchListingJSON` writes exactly what `WeatherSearch.json.serialized` gives.
@Suite("SearchListingJSON")
struct SearchListingJSONTests {
    static func search(id: Int, city: String, derived: Bool, optionals: Bool) -> WeatherSearch {
        let date = Date(timeIntervalSince1970: 1_764_000_000.123)
        let weather = CurrentWeather(
            city: city, country: "FR", temperature: -3.25, feelsLike: 1e-7, tempMin: -10, tempMax: 123456789.5, humidity: 7,
            pressure: 1013, windSpeed: 0, windDirection: optionals ? 350 : nil, cloudiness: optionals ? 0 : nil, conditionCode: 800,
            conditionMain: "Clear", conditionDescription: "clear \"sky\" <b>&</b>\n\t\u{1}\u{2028}é", observedAt: date,
            latitude: optionals ? 48.8566 : nil, longitude: optionals ? -2.35 : nil)
        return WeatherSearch(
            id: id, weather: weather, searchedAt: date.addingTimeInterval(0.5),
            derived: derived
                ? DerivedWeather(
                    dewPoint: 2.5, heatIndex: optionals ? 30.1 : nil, windChill: optionals ? nil : -5, beaufort: 11, comfort: "cold",
                    processedAt: date.addingTimeInterval(1))
                : nil)
    }

    @Test("each search and whole pages match the JSONValue serialisation byte for byte")
    func matchesJSONValue() throws {
        let searches = [
            Self.search(id: 1, city: "Paris", derived: true, optionals: true),
            Self.search(id: 12345678901, city: "São Paulo \\ \"x\"", derived: false, optionals: false),
            Self.search(id: 9, city: "Zürich", derived: true, optionals: false),
        ]
        for search in searches {
            var out: [UInt8] = []
            SearchListingJSON.write(search, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == search.json.serialized)
        }
        for next in [nil, 9] as [Int?] {
            let page = SearchPage(items: searches, nextBefore: next)
            let expected: JSONValue = ["items": .array(searches.map(\.json)), "next_before": next.map { .int($0) } ?? .null]
            #expect(String(decoding: SearchListingJSON.page(page), as: UTF8.self) == expected.serialized)
        }
        let empty = SearchPage(items: [], nextBefore: nil)
        #expect(String(decoding: SearchListingJSON.page(empty), as: UTF8.self) == #"{"items":[],"next_before":null}"#)
    }
}
