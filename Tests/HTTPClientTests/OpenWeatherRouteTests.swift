import Foundation
import HTTPClient
import TestSupport
import Testing

@Suite("The fake OpenWeather route, through HTTPClient")
struct OpenWeatherRouteTests {
    private func weather(_ query: String) async throws -> HTTPResponse {
        let base = try await fakeServerURL()
        return try await outcome(of: HTTPRequest(url: base + "/data/2.5/weather?" + query)).get()
    }

    @Test func knownCityHasTheCurrentWeatherShape() async throws {
        let response = try await weather("q=paris,FR&appid=test-key&units=metric")
        #expect(response.status == 200)
        let json = try jsonObject(response)
        #expect(json["name"] as? String == "Paris")
        #expect(json["cod"] as? Int == 200)
        let main = try #require(json["main"] as? [String: Any])
        #expect(main["temp"] as? Double == 18.4)
        #expect(main["humidity"] as? Int != nil)
        let weather = try #require((json["weather"] as? [[String: Any]])?.first)
        #expect(weather["id"] as? Int == 802)
        let sys = try #require(json["sys"] as? [String: Any])
        #expect(sys["country"] as? String == "FR")
        for key in ["coord", "base", "visibility", "wind", "clouds", "dt", "timezone", "id"] {
            #expect(json[key] != nil, "missing \(key)")
        }
    }

    @Test func unknownCityIs404() async throws {
        let response = try await weather("q=Atlantis,XX&appid=test-key&units=metric")
        #expect(response.status == 404)
        let json = try jsonObject(response)
        #expect(json["cod"] as? String == "404")
        #expect(json["message"] as? String == "city not found")
    }

    @Test func rateLimitedIs429WithRetryAfter() async throws {
        let response = try await weather("q=Ratelimited&appid=test-key&units=metric")
        #expect(response.status == 429)
        #expect(response.header("Retry-After") == "2")
        #expect(try jsonObject(response)["cod"] as? Int == 429)
    }

    @Test(arguments: ["q=Paris,FR&units=metric", "q=Paris,FR&appid=bad&units=metric"])
    func missingOrBadKeyIs401(query: String) async throws {
        let response = try await weather(query)
        #expect(response.status == 401)
        #expect(try jsonObject(response)["cod"] as? Int == 401)
    }

    @Test func extremesAndFailures() async throws {
        let cold = try jsonObject(try await weather("q=Coldville&appid=k&units=metric"))
        #expect((cold["main"] as? [String: Any])?["temp"] as? Double == -15)
        #expect(try await weather("q=Broken&appid=k").status == 500)
        let garbage = try await weather("q=Garbage&appid=k")
        #expect(garbage.status == 200)
        #expect((try? JSONSerialization.jsonObject(with: Data(garbage.body))) == nil)
    }
}
