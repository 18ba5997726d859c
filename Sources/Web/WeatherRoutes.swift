import AppSupport
import FoundationEssentials
import Jobs
import Postgres
import Weather
import WeatherData

/// `GET /api/weather?city=C&country=CC` (token): fetches the city's current weather from the
/// provider, stores it as a search and enqueues its `async_weather_processing` job in the same
/// transaction (as `bulk_weather_update` does), and answers 200 with the stored search plus
/// `processing_job_id`.
///
/// The fetch blocks this responder thread, so it is kept short: one retry at most, and the whole
/// fetch (rate-limiter waits included) gives up after `WeatherFetchBudget.total`.
/// Errors: 400 naming `city` or `country`, 404 unknown city, 502 provider failure (5xx, bad
/// answer, its rate limit, a refused API key), 504 no answer in time, 503 when the provider is
/// not configured (the message names the variable).
enum WeatherRoutes {
    /// The task that derives figures from a stored search.
    static let processingTask = "async_weather_processing"

    static func register(in router: inout Router, services: WebServices) {
        let queue = services.queue
        let enqueueProcessing = services.registry[processingTask] != nil
        router.add("GET", "/api/weather") { request, _, context in
            _ = try Authentication.requireToken(request, context, tokens: services.tokens)
            let query = try WeatherRoutes.cityQuery(QueryParameters(request))
            guard let configuration = services.weather else {
                throw APIError.weatherNotConfigured(services.weatherProblem ?? "the weather provider is not configured (OPENWEATHER_API_KEY)")
            }
            let weather = try WeatherFetchBudget.fetch(query, configuration: configuration, rateLimiter: services.rateLimiter)
            let database = try context.database()
            let (search, jobID) = try database.transaction { connection -> (WeatherSearch, Int?) in
                let search = try SearchStore.insert(weather, on: connection)
                guard enqueueProcessing else { return (search, nil) }
                let job = try queue.enqueue(
                    EnqueueRequest(task: processingTask, args: ["search_id": .int(search.id)], uniqueKey: "\(processingTask):\(search.id)"),
                    on: connection)
                return (search, job.id)
            }
            // This responder's clients read their own writes, without waiting for the notification.
            services.searchPages.changed()
            guard case .object(var fields) = search.json else { return .json(search.json) }
            fields["processing_job_id"] = jobID.map { .int($0) } ?? .null
            return .json(.object(fields))
        }
    }

    /// The city and country from the query string, checked; a 400 naming the field otherwise.
    static func cityQuery(_ query: QueryParameters) throws -> CityQuery {
        guard let city = query.values["city"], !city.trimmingCharacters().isEmpty else {
            throw APIError.badRequest(field: "city", "is required (e.g. ?city=Paris&country=FR)")
        }
        let country = try query.optional("country")
        do {
            return try CityQuery(city: city, country: country).validated()
        } catch {
            // A bad input is a 400 naming `city` or `country`.
            throw APIError.weatherProvider(error)
        }
    }
}

/// The time limits of a weather fetch made while a client waits.
enum WeatherFetchBudget {
    /// No new attempt starts after this much time (rate-limiter waits included); the API then
    /// answers 504. An attempt already in flight may end up to `perAttempt` later, so the
    /// longest fetch is about `total + perAttempt` (7 s).
    static let total: Duration = .seconds(4)
    /// The longest one attempt may take (or `OPENWEATHER_TIMEOUT` when shorter).
    static let perAttempt: Duration = .seconds(3)
    /// Retries after a retryable failure.
    static let maxRetries = 1
    /// The longest wait before the retry (`Retry-After` included).
    static let maxRetryDelay: Duration = .seconds(1)

    /// `configuration` made fit for a waiting client.
    static func interactive(_ configuration: WeatherProviderConfiguration) -> WeatherProviderConfiguration {
        var shortened = configuration
        shortened.maxRetries = min(configuration.maxRetries, maxRetries)
        shortened.maxRetryDelay = min(configuration.maxRetryDelay, maxRetryDelay)
        shortened.retryBaseDelay = min(configuration.retryBaseDelay, .milliseconds(250))
        shortened.totalTimeout = min(configuration.totalTimeout, perAttempt)
        shortened.connectTimeout = min(configuration.connectTimeout, shortened.totalTimeout)
        return shortened
    }

    /// Fetches on this thread within the budget; provider failures become API errors.
    static func fetch(_ query: CityQuery, configuration: WeatherProviderConfiguration, rateLimiter: RateLimiter?) throws -> CurrentWeather {
        let clock = ContinuousClock()
        let deadline = clock.now + total
        do {
            let provider = try WeatherProvider(configuration: interactive(configuration), rateLimiter: rateLimiter)
            return try provider.current(city: query.city, country: query.country, isCancelled: { clock.now >= deadline })
        } catch {
            throw APIError.weatherProvider(error)
        }
    }
}

extension APIError {
    /// 503: the provider cannot be used with this configuration; `problem` names the variable.
    static func weatherNotConfigured(_ problem: String) -> APIError {
        APIError(status: 503, code: "weather_unavailable", message: problem)
    }

    /// The answer for a failed fetch. Never contains the API key.
    static func weatherProvider(_ error: WeatherProviderError) -> APIError {
        switch error {
        case .badInput(let problem):
            return .badRequest(field: problem.hasPrefix("country") ? "country" : "city", problem)
        case .configuration(let problem):
            return weatherNotConfigured(problem.description)
        case .cityNotFound:
            return APIError(status: 404, code: "city_not_found", message: error.description)
        case .invalidAPIKey, .rateLimited, .server, .unexpectedStatus, .unreachable, .invalidResponse:
            return APIError(status: 502, code: "provider_error", message: providerFailure(error))
        case .timedOut:
            return APIError(status: 504, code: "provider_timeout", message: error.description)
        case .cancelled:
            let budget = WeatherFetchBudget.total.components.seconds
            return APIError(status: 504, code: "provider_timeout", message: "the weather provider did not answer within \(budget) s")
        }
    }

    /// The 502 message: the provider's own words, but for a refused key (what an operator must
    /// do) and its rate limit (when to come back).
    private static func providerFailure(_ error: WeatherProviderError) -> String {
        switch error {
        case .invalidAPIKey: "the weather provider refused the configured API key (OPENWEATHER_API_KEY); an operator must fix it"
        case .rateLimited: error.description + "; try again later"
        default: error.description
        }
    }
}
