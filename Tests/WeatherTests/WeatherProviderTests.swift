import AppSupport
import Foundation
import TestSupport
import Testing
@testable import Weather

@Suite("WeatherProvider against the fake OpenWeather server")
struct WeatherProviderTests {
    @Test func parisIsParsedWithEveryField() async throws {
        let base = try await fakeServerURL()
        let weather = try await fetch("Paris", "FR", configuration: fakeConfiguration(base)).get()
        #expect(weather.city == "Paris")
        #expect(weather.country == "FR")
        #expect(weather.temperature == 18.4)
        #expect(weather.feelsLike == 17.9)
        #expect(weather.tempMin == 17.2)
        #expect(weather.tempMax == 19.5)
        #expect(weather.humidity == 62)
        #expect(weather.pressure == 1016)
        #expect(weather.windSpeed == 4.1)
        #expect(weather.windDirection == 240)
        #expect(weather.cloudiness == 40)
        #expect(weather.conditionCode == 802)
        #expect(weather.conditionMain == "Clouds")
        #expect(weather.conditionDescription == "scattered clouds")
        #expect(abs(weather.observedAt.timeIntervalSinceNow) < 120)
        #expect(weather.latitude == 48.8534)
        #expect(weather.longitude == 2.3488)

        let json = weather.json
        #expect(json["city"] == "Paris")
        #expect(json["temperature"] == 18.4)
        #expect(json["wind_direction"] == 240)
        #expect(json["condition_code"] == 802)
        if case .string(let observed)? = json["observed_at"] {
            #expect(observed.hasSuffix("Z") && observed.count == 24)
        } else {
            Issue.record("observed_at is not a string")
        }
        #expect(json["latitude"] == 48.8534)
    }

    @Test func accentedCityIsPercentEncodedAndReachesTheServer() async throws {
        let base = try await fakeServerURL()
        let provider = try WeatherProvider(configuration: fakeConfiguration(base))
        let url = try provider.requestURL(for: CityQuery(city: "São Paulo", country: "BR"))
        #expect(url == base + "/data/2.5/weather?q=S%C3%A3o%20Paulo,BR&appid=test-key&units=metric")

        let before = try await requestCount(q: "são paulo,br")
        let weather = try await fetch("  São Paulo ", "br", configuration: fakeConfiguration(base)).get()
        #expect(weather.city == "São Paulo")
        #expect(weather.country == "BR")
        #expect(try await requestCount(q: "são paulo,br") == before + 1)

        // An unknown name with a space: the 404 names it as asked, and the server saw it decoded.
        let unknownBefore = try await requestCount(q: "den haag,nl")
        let unknown = await fetch("Den Haag", "NL", configuration: fakeConfiguration(base))
        #expect(failure(unknown) == .cityNotFound(city: "Den Haag", country: "NL"))
        #expect(failure(unknown)?.description == "city not found: Den Haag, NL")
        #expect(try await requestCount(q: "den haag,nl") == unknownBefore + 1)
    }

    @Test func cityWithoutCountrySendsTheNameOnly() async throws {
        let base = try await fakeServerURL()
        let before = try await requestCount(q: "berlin")
        let weather = try await fetch("Berlin", nil, configuration: fakeConfiguration(base)).get()
        #expect(weather.city == "Berlin" && weather.country == "DE")
        #expect(try await requestCount(q: "berlin") == before + 1)
    }

    @Test func badKeyIsInvalidAPIKeyWithoutRetry() async throws {
        let base = try await fakeServerURL()
        let sleeps = Recorder<Duration>()
        let before = try await requestCount(q: "keytown,fr")
        let result = await fetch("Keytown", "FR", configuration: fakeConfiguration(base, apiKey: "bad"), sleeps: sleeps)
        #expect(failure(result) == .invalidAPIKey)
        #expect(failure(result)?.isRetryable == false)
        #expect(try await requestCount(q: "keytown,fr") == before + 1)
        #expect(sleeps.values.isEmpty)
    }

    @Test func missingKeyIsAConfigurationErrorBeforeAnyRequest() async throws {
        let base = try await fakeServerURL()
        let before = try await requestCount(q: "nokeytown,fr")
        let result = await fetch("Nokeytown", "FR", configuration: fakeConfiguration(base, apiKey: nil))
        guard case .configuration(let error)? = failure(result) else {
            Issue.record("expected a configuration error, got \(result)")
            return
        }
        #expect(error.variable == "OPENWEATHER_API_KEY")
        #expect(try await requestCount(q: "nokeytown,fr") == before)
    }

    @Test func unknownCityIsCityNotFoundWithoutRetry() async throws {
        let base = try await fakeServerURL()
        let sleeps = Recorder<Duration>()
        let before = try await requestCount(q: "atlantis,qz")
        let result = await fetch("Atlantis", "QZ", configuration: fakeConfiguration(base), sleeps: sleeps)
        #expect(failure(result) == .cityNotFound(city: "Atlantis", country: "QZ"))
        #expect(try await requestCount(q: "atlantis,qz") == before + 1)
        #expect(sleeps.values.isEmpty)
    }

    @Test func rateLimitedWaitsRetryAfterThenGivesUp() async throws {
        let base = try await fakeServerURL()
        let sleeps = Recorder<Duration>()
        let before = try await requestCount(q: "ratelimited,ra")
        let result = await fetch(
            "Ratelimited", "RA", configuration: fakeConfiguration(base, maxRetries: 3), sleeps: sleeps)
        #expect(failure(result) == .rateLimited(retryAfter: .seconds(2)))
        #expect(sleeps.values == [.seconds(2), .seconds(2), .seconds(2)])
        #expect(try await requestCount(q: "ratelimited,ra") == before + 4)
    }

    @Test func rateLimitedReallySleepsRetryAfter() async throws {
        let base = try await fakeServerURL()
        let start = ContinuousClock.now
        let result = await fetch("Ratelimited", "RB", configuration: fakeConfiguration(base, maxRetries: 1))
        let elapsed = ContinuousClock.now - start
        #expect(failure(result) == .rateLimited(retryAfter: .seconds(2)))
        #expect(elapsed >= .seconds(2), "elapsed \(elapsed)")
    }

    @Test func serverErrorIsRetriedWithBackoffThenReported() async throws {
        let base = try await fakeServerURL()
        let sleeps = Recorder<Duration>()
        let before = try await requestCount(q: "broken,ba")
        let configuration = fakeConfiguration(base, maxRetries: 3, retryBaseDelay: .milliseconds(100))
        let result = await fetch("Broken", "BA", configuration: configuration, sleeps: sleeps)
        #expect(failure(result) == .server(status: 500))
        #expect(try await requestCount(q: "broken,ba") == before + 4)
        let waits = sleeps.values
        try #require(waits.count == 3)
        for (retry, wait) in waits.enumerated() {
            let ceiling = Duration.milliseconds(100) * (1 << retry)
            #expect(wait >= ceiling / 2 && wait <= ceiling, "retry \(retry) waited \(wait)")
        }
    }

    @Test func slowAnswerTimesOut() async throws {
        let base = try await fakeServerURL()
        let sleeps = Recorder<Duration>()
        let before = try await requestCount(q: "slow,fr")
        let configuration = fakeConfiguration(base, maxRetries: 1, totalTimeout: .milliseconds(500))
        let result = await fetch("Slow", "FR", configuration: configuration, sleeps: sleeps)
        #expect(failure(result) == .timedOut)
        #expect(sleeps.values.count == 1)
        // The server counts a request when it handles it, which can trail the client's timeout.
        var counted = 0
        for _ in 0..<300 {
            counted = try await requestCount(q: "slow,fr")
            if counted == before + 2 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(counted == before + 2)
    }

    @Test func garbageBodyIsInvalidResponseWithoutRetry() async throws {
        let base = try await fakeServerURL()
        let sleeps = Recorder<Duration>()
        let before = try await requestCount(q: "garbage,ga")
        let result = await fetch("Garbage", "GA", configuration: fakeConfiguration(base), sleeps: sleeps)
        guard case .invalidResponse(let problem)? = failure(result) else {
            Issue.record("expected invalidResponse, got \(result)")
            return
        }
        #expect(problem.contains("not JSON"), "\(problem)")
        #expect(problem.contains("upstream hiccup"), "\(problem)")
        #expect(sleeps.values.isEmpty)
        #expect(try await requestCount(q: "garbage,ga") == before + 1)
    }

    @Test func refusedPortIsUnreachableAndRetriedWithoutLeakingTheKey() async throws {
        let sleeps = Recorder<Duration>()
        let key = "sekrit-key-42"
        let configuration = fakeConfiguration("http://127.0.0.1:\(closedLocalPort())", apiKey: key, maxRetries: 2)
        let result = await fetch("Paris", "FR", configuration: configuration, sleeps: sleeps)
        guard case .unreachable(let message)? = failure(result) else {
            Issue.record("expected unreachable, got \(result)")
            return
        }
        #expect(!message.contains(key))
        #expect(!(failure(result)?.description.contains(key) ?? true))
        #expect(sleeps.values.count == 2)
    }

    @Test(arguments: [
        ("", "FR"), ("   ", nil), ("Paris", "FRA"), ("Paris", "F1"), ("Paris", ""), ("Pa,ris", "FR"),
        ("Paris\n", "É1"), (String(repeating: "x", count: 101), nil), ("Par\u{7}is", nil),
    ] as [(String, String?)])
    func badInputIsRejectedBeforeAnyRequest(city: String, country: String?) async throws {
        // A closed port: had a request been made, the error would be `unreachable`.
        let sleeps = Recorder<Duration>()
        let configuration = fakeConfiguration("http://127.0.0.1:\(closedLocalPort())")
        let result = await fetch(city, country, configuration: configuration, sleeps: sleeps)
        guard case .badInput? = failure(result) else {
            Issue.record("expected badInput, got \(result)")
            return
        }
        #expect(sleeps.values.isEmpty)
    }

    @Test func redactionHidesTheKeyEverywhere() {
        let redaction = Redaction(secret: "k3y/with space")
        let text = "GET http://h/data?q=x&appid=k3y%2Fwith%20space&units=metric failed; key k3y/with space"
        let cleaned = redaction.apply(text)
        #expect(!cleaned.contains("k3y"))
        #expect(cleaned.contains("appid=***&units=metric"))
        #expect(Redaction(secret: nil).apply("u?appid=abc") == "u?appid=***")
    }

    @Test func percentEncodingKeepsOnlyUnreservedCharacters() {
        #expect(PercentEncoding.encodeQueryValue("São Paulo") == "S%C3%A3o%20Paulo")
        #expect(PercentEncoding.encodeQueryValue("a-b.c_d~e") == "a-b.c_d~e")
        #expect(PercentEncoding.encodeQueryValue("x&y=z+w#/?") == "x%26y%3Dz%2Bw%23%2F%3F")
    }

    @Test func retryAfterParsing() {
        #expect(RetryPolicy.parseRetryAfter("2") == .seconds(2))
        #expect(RetryPolicy.parseRetryAfter(" 120 ") == .seconds(120))
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(RetryPolicy.parseRetryAfter("-1") == nil)
        #expect(RetryPolicy.parseRetryAfter(nil) == nil)
        let policy = RetryPolicy(baseDelay: .seconds(1), maxDelay: .seconds(60))
        #expect(policy.delay(beforeRetry: 0, retryAfter: .seconds(3600)) == .seconds(60))
        #expect(policy.delay(beforeRetry: 20, retryAfter: nil) <= .seconds(60))
    }

    @Test func retryabilityOfEachCase() {
        let retryable: [WeatherProviderError] = [
            .rateLimited(retryAfter: nil), .server(status: 503), .timedOut, .unreachable("x"),
        ]
        let final: [WeatherProviderError] = [
            .badInput("x"), .configuration(ConfigurationError(variable: "V", problem: "p")), .invalidAPIKey,
            .cityNotFound(city: "x", country: nil), .unexpectedStatus(status: 400, message: ""),
            .invalidResponse("x"), .cancelled,
        ]
        #expect(retryable.allSatisfy { $0.isRetryable })
        #expect(!final.contains { $0.isRetryable })
    }
}
