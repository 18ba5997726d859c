import Foundation
import Testing
import Weather

@Suite("Decoding OpenWeather's JSON")
struct CurrentWeatherDecodingTests {
    private let complete = """
        {"coord":{"lon":2.35,"lat":48.85},"weather":[{"id":500,"main":"Rain","description":"light rain","icon":"10d"}],
         "main":{"temp":11.5,"feels_like":10.9,"temp_min":10.1,"temp_max":12.8,"pressure":1008,"humidity":87.0},
         "wind":{"speed":5.66,"deg":230.4},"clouds":{"all":100},"dt":1700000000,"sys":{"country":"FR"},"name":"Paris","cod":200}
        """

    private func decode(_ text: String, fallbackCountry: String? = nil) -> Result<CurrentWeather, WeatherProviderError> {
        Result { () throws(WeatherProviderError) in
            try CurrentWeather(openWeatherJSON: Array(text.utf8), fallbackCountry: fallbackCountry)
        }
    }

    private func problem(_ text: String) -> String? {
        if case .failure(.invalidResponse(let problem)) = decode(text) { return problem }
        return nil
    }

    @Test func completeDocument() throws {
        let weather = try decode(complete).get()
        #expect(weather.conditionCode == 500)
        #expect(weather.humidity == 87)
        #expect(weather.windDirection == 230)
        #expect(weather.observedAt == Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func optionalFieldsMayBeMissing() throws {
        let minimal = """
            {"weather":[{"id":800,"main":"Clear","description":"clear sky"}],
             "main":{"temp":1,"feels_like":0,"temp_min":-1,"temp_max":2,"pressure":1000,"humidity":50},
             "wind":{"speed":0},"dt":1700000000,"name":"Somewhere"}
            """
        let weather = try decode(minimal, fallbackCountry: "SE").get()
        #expect(weather.windDirection == nil && weather.cloudiness == nil)
        #expect(weather.latitude == nil && weather.longitude == nil)
        #expect(weather.country == "SE")
        #expect(weather.json["wind_direction"] == .null)
        #expect(problem(minimal) == "missing field sys.country")
    }

    @Test func requiredFieldsAreNamedWhenMissingOrMistyped() {
        #expect(problem(complete.replacingOccurrences(of: "\"temp\":11.5,", with: "")) == "missing field main.temp")
        #expect(problem(complete.replacingOccurrences(of: "\"name\":\"Paris\",", with: "")) == "missing field name")
        #expect(
            problem(complete.replacingOccurrences(of: "\"temp\":11.5", with: "\"temp\":\"warm\""))
                == "field main.temp is not a number")
        #expect(
            problem(complete.replacingOccurrences(of: "\"id\":500,", with: "")) == "missing field weather[0].id")
        #expect(
            problem(complete.replacingOccurrences(of: "[{\"id\":500,\"main\":\"Rain\",\"description\":\"light rain\",\"icon\":\"10d\"}]", with: "[]"))
                == "field weather is empty")
        #expect(problem(complete.replacingOccurrences(of: "\"dt\":1700000000", with: "\"dt\":null")) == "field dt is null")
        #expect(problem("[1,2]") == "body is not a JSON object")
        #expect(problem("<html>oops</html>")?.hasPrefix("body is not JSON") == true)
    }
}
