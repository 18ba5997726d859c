import AppSupport
import Testing
import Weather

@Suite("WeatherProviderConfiguration from the environment")
struct WeatherProviderConfigurationTests {
    @Test func defaults() throws {
        let configuration = try WeatherProviderConfiguration(environment: Environment([:]))
        #expect(configuration == WeatherProviderConfiguration())
        #expect(configuration.baseURL == "https://api.openweathermap.org")
        #expect(configuration.apiKey == nil)
        #expect(configuration.connectTimeout == .seconds(5))
        #expect(configuration.totalTimeout == .seconds(10))
        #expect(configuration.requestsPerMinute == 60)
        #expect(configuration.maxParallel == 4)
        #expect(configuration.maxRetries == 3)
    }

    @Test func readsEveryVariable() throws {
        let configuration = try WeatherProviderConfiguration(
            environment: Environment([
                "OPENWEATHER_API_KEY": "abc123",
                "OPENWEATHER_BASE_URL": "http://127.0.0.1:9999/",
                "OPENWEATHER_CONNECT_TIMEOUT": "2",
                "OPENWEATHER_TIMEOUT": "30",
                "OPENWEATHER_RATE_PER_MINUTE": "600",
                "OPENWEATHER_MAX_PARALLEL": "8",
            ]))
        #expect(configuration.apiKey == "abc123")
        #expect(configuration.baseURL == "http://127.0.0.1:9999")
        #expect(configuration.connectTimeout == .seconds(2))
        #expect(configuration.totalTimeout == .seconds(30))
        #expect(configuration.requestsPerMinute == 600)
        #expect(configuration.maxParallel == 8)
        #expect(!configuration.description.contains("abc123"))
    }

    @Test(arguments: [
        ("OPENWEATHER_BASE_URL", "ftp://example.com"),
        ("OPENWEATHER_BASE_URL", "api.openweathermap.org"),
        ("OPENWEATHER_CONNECT_TIMEOUT", "fast"),
        ("OPENWEATHER_CONNECT_TIMEOUT", "0"),
        ("OPENWEATHER_TIMEOUT", "-5"),
        ("OPENWEATHER_TIMEOUT", "601"),
        ("OPENWEATHER_RATE_PER_MINUTE", "0"),
        ("OPENWEATHER_RATE_PER_MINUTE", "1.5"),
        ("OPENWEATHER_MAX_PARALLEL", "65"),
        ("OPENWEATHER_MAX_PARALLEL", "four"),
        ("OPENWEATHER_API_KEY", "my secret key"),
    ])
    func badValuesAreRejectedNamingTheVariable(variable: String, value: String) {
        do {
            _ = try WeatherProviderConfiguration(environment: Environment([variable: value]))
            Issue.record("\(variable)=\(value) was accepted")
        } catch let error as ConfigurationError {
            #expect(error.variable == variable)
            #expect(error.description.contains(variable))
            if variable == "OPENWEATHER_API_KEY" { #expect(!error.description.contains(value)) }
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
