import AppSupport
import HTTPClient
import Postgres
import Testing
import TestSupport

/// `GET /api/weather` through nginx against the fake OpenWeather server: stored and queued on
/// success, and every failure with its status.
@Suite("GET /api/weather")
struct WeatherAPITests {
    static func environment(key: String = "test-key", extra: [String: String] = [:]) throws -> [String: String] {
        var env = ["OPENWEATHER_BASE_URL": try FakeOpenWeatherServer.shared().baseURL, "OPENWEATHER_API_KEY": key]
        for (name, value) in extra { env[name] = value }
        return env
    }

    @Test("fetches, stores the search, enqueues its processing and answers the stored search")
    func happyPath() async throws {
        try await onThread {
            let harness = try APIDataHarness(extraEnvironment: try WeatherAPITests.environment())
            let answer = try harness.call(.get, "/api/weather?city=paris&country=fr")
            #expect(answer.status == 200, "\(answer.response.bodyText)")
            #expect(answer.json["city"] == "Paris")
            #expect(answer.json["country"] == "FR")
            #expect(answer.json["derived"] == .null)
            guard case .int(let id)? = answer.json["id"], case .int(let jobID)? = answer.json["processing_job_id"] else {
                Issue.record("no id or processing_job_id: \(answer.response.bodyText)")
                return
            }
            let stored = try harness.database.query("SELECT city, temperature FROM weather_searches WHERE id = \(id)").first
            #expect(try stored?.decode(String.self, "city") == "Paris")
            #expect(answer.json["temperature"] == (try stored.map { JSONValue.double(try $0.decode(Double.self, "temperature")) }))
            let job = try harness.database.query("SELECT task, args::text AS args, unique_key FROM jobs WHERE id = \(jobID)").first
            #expect(try job?.decode(String.self, "task") == "async_weather_processing")
            #expect(try job?.decode(String?.self, "unique_key") == "async_weather_processing:\(id)")
            #expect(try JSONValue.parse(job?.decode(String.self, "args") ?? "") == ["search_id": .int(id)])

            // Without a country, and listed by /api/searches afterwards.
            let second = try harness.call(.get, "/api/weather?city=Paris")
            #expect(second.status == 200)
            let list = try harness.call(.get, "/api/searches?city=paris", authorized: false)
            #expect(APIDataHarness.ids(list.json) == [second.json["id"], answer.json["id"]].compactMap { if case .int(let v)? = $0 { v } else { nil } })
        }
    }

    @Test("401, 400 naming the field, 404 unknown city, 502 provider failures; nothing stored")
    func errors() async throws {
        try await onThread {
            let harness = try APIDataHarness(extraEnvironment: try WeatherAPITests.environment())
            let bare = try harness.call(.get, "/api/weather?city=Paris", authorized: false)
            #expect(bare.status == 401)
            #expect(try harness.call(.get, "/api/weather?city=Paris", token: "wst_nope").status == 401)
            for (query, field) in [
                ("", "city"), ("city=", "city"), ("city=%20%20", "city"), ("country=FR", "city"),
                ("city=" + String(repeating: "x", count: 101), "city"), ("city=Paris&country=FRA", "country"),
                ("city=Paris&country=F1", "country"), ("city=Paris,FR", "city"),
            ] {
                let answer = try harness.call(.get, "/api/weather?\(query)")
                #expect(answer.status == 400, "\(query)")
                #expect(answer.code == "invalid_argument" && answer.message.hasPrefix("\(field):"), "\(query): \(answer.message)")
            }
            let unknown = try harness.call(.get, "/api/weather?city=Atlantis")
            #expect(unknown.status == 404)
            #expect(unknown.code == "city_not_found" && unknown.message.contains("Atlantis"))
            for city in ["Broken", "Garbage", "Ratelimited"] {
                let answer = try harness.call(.get, "/api/weather?city=\(city)")
                #expect(answer.status == 502, "\(city): \(answer.response.bodyText)")
                #expect(answer.code == "provider_error", "\(city)")
                #expect(!answer.message.contains("test-key"))
            }
            let searches = try harness.database.query("SELECT count(*)::bigint AS n FROM weather_searches").first?.decode(Int.self, "n")
            #expect(searches == 0)
        }
    }

    @Test("a refused API key is a 502 that does not show the key")
    func refusedKey() async throws {
        try await onThread {
            let harness = try APIDataHarness(extraEnvironment: try WeatherAPITests.environment(key: "bad"))
            let answer = try harness.call(.get, "/api/weather?city=Paris&country=FR")
            #expect(answer.status == 502)
            #expect(answer.message.contains("refused the configured API key") && answer.message.contains("OPENWEATHER_API_KEY"))
            #expect(!answer.response.bodyText.contains("appid"))
        }
    }

    @Test("a provider slower than OPENWEATHER_TIMEOUT is a 504")
    func timeout() async throws {
        try await onThread {
            let harness = try APIDataHarness(extraEnvironment: try WeatherAPITests.environment(extra: ["OPENWEATHER_TIMEOUT": "1"]))
            let answer = try harness.call(.get, "/api/weather?city=Slow")
            #expect(answer.status == 504, "\(answer.response.bodyText)")
            #expect(answer.code == "provider_timeout")
        }
    }

    @Test("a provider that is not configured is a 503 naming the variable")
    func notConfigured() async throws {
        try await onThread {
            let badURL = try APIDataHarness(extraEnvironment: try WeatherAPITests.environment(extra: ["OPENWEATHER_BASE_URL": "ftp://nowhere"]))
            let answer = try badURL.call(.get, "/api/weather?city=Paris")
            #expect(answer.status == 503, "\(answer.response.bodyText)")
            #expect(answer.message.contains("OPENWEATHER_BASE_URL"))
            // Input is still checked first.
            #expect(try badURL.call(.get, "/api/weather").status == 400)

            let noKey = try APIDataHarness(extraEnvironment: try WeatherAPITests.environment(key: ""))
            let missing = try noKey.call(.get, "/api/weather?city=Paris")
            #expect(missing.status == 503, "\(missing.response.bodyText)")
            #expect(missing.message.contains("OPENWEATHER_API_KEY"))
        }
    }
}
