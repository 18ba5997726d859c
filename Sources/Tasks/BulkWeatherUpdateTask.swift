import AppSupport
import FoundationEssentials
import Jobs
import Postgres
import Threads
import Weather
import WeatherData

/// `bulk_weather_update`: fetches the current weather of many cities through `BulkWeatherFetcher`
/// (bounded parallelism, one request budget per definition), reports progress after each city,
/// stores every success as a search and enqueues its `async_weather_processing` job in the same
/// transaction (so a stored search always gets processed, retried on its own, by whichever daemon
/// is free, through the same path as searches stored by the API).
///
/// Args: `cities`, a list of `{"city", "country"}` objects (1 to 500; `country` optional), or the
/// preset `"european_capitals"` (the default). A city's failure is recorded in the result and
/// never fails the others; a city the provider cannot take (empty name, bad country code) is such
/// a failure too. The task fails permanently when the key is missing or refused (401: the first
/// city is fetched alone, so a bad key stops the run after one request), and fails to be retried
/// when no city could be fetched and at least one failure was transient (provider down).
///
/// Cancellation is checked before each city and each attempt; requests already in flight finish
/// (at most `OPENWEATHER_TIMEOUT`). What was fetched before a cancel is stored and named in the
/// job's progress message; after a timeout or a daemon shutdown nothing is stored, since the job
/// runs again.
public enum BulkWeatherUpdateTask {
    /// The registered name.
    public static let name = "bulk_weather_update"
    /// The most cities one run takes.
    public static let maxCities = 500
    /// The preset name for `EuropeanCapitals.all`.
    public static let europeanCapitals = "european_capitals"

    /// The task configured from `environment` (`OPENWEATHER_*`). A bad setting does not stop the
    /// registry from being built: the task then fails permanently when it runs, naming the
    /// variable. All runs of the returned definition share one request budget.
    public static func definition(environment: Environment) -> TaskDefinition {
        do {
            return definition(configuration: try WeatherProviderConfiguration(environment: environment))
        } catch {
            let failure = PermanentFailure(String(describing: error))
            return make { context in
                _ = try arguments(context)
                throw failure
            }
        }
    }

    /// The task with the provider settings given (tests set retries and delays here). Runs share
    /// `rateLimiter`, by default a new one of `configuration.requestsPerMinute`.
    public static func definition(configuration: WeatherProviderConfiguration, rateLimiter: RateLimiter? = nil) -> TaskDefinition {
        let fetcher = BulkWeatherFetcher(configuration: configuration, rateLimiter: rateLimiter)
        return make { context in try run(context, fetcher: fetcher) }
    }

    static func make(_ run: @escaping @Sendable (JobContext) throws -> JSONValue) -> TaskDefinition {
        TaskDefinition(
            name: name, summary: "Fetch and store the current weather of many cities (default: the EU capitals).",
            maxAttempts: 3, timeoutSeconds: 1800, run: run)
    }

    /// The cities asked for, and the preset's name when one was used.
    static func arguments(_ context: JobContext) throws -> (cities: [CityQuery], preset: String?) {
        let args = try TaskArguments(context.args, allowed: ["cities"])
        switch args["cities"] {
        case nil, .string(europeanCapitals)?:
            return (EuropeanCapitals.all, europeanCapitals)
        case .string(let other)?:
            throw PermanentFailure("cities: unknown preset \"\(other)\" (known: \(europeanCapitals))")
        case .array(let items)?:
            guard (1...maxCities).contains(items.count) else {
                throw PermanentFailure("cities must list 1 to \(maxCities) cities, not \(items.count)")
            }
            return (try items.enumerated().map { index, item in try city(item, at: index) }, nil)
        default:
            throw PermanentFailure("cities must be a list of {\"city\", \"country\"} objects or \"\(europeanCapitals)\"")
        }
    }

    static func city(_ item: JSONValue, at index: Int) throws -> CityQuery {
        guard case .object(let fields) = item else {
            throw PermanentFailure("cities[\(index)] must be an object {\"city\", \"country\"}")
        }
        if let unknown = fields.keys.filter({ $0 != "city" && $0 != "country" }).sorted().first {
            throw PermanentFailure("cities[\(index)] has an unknown member \(unknown) (known: city, country)")
        }
        guard case .string(let city)? = fields["city"] else { throw PermanentFailure("cities[\(index)].city must be a string") }
        switch fields["country"] {
        case nil, .null?: return CityQuery(city: city, country: nil)
        case .string(let country)?: return CityQuery(city: city, country: country)
        default: throw PermanentFailure("cities[\(index)].country must be a two-letter code or null")
        }
    }

    static func run(_ context: JobContext, fetcher: BulkWeatherFetcher) throws -> JSONValue {
        let (cities, preset) = try arguments(context)
        guard fetcher.configuration.apiKey != nil else {
            throw PermanentFailure(
                ConfigurationError(variable: "OPENWEATHER_API_KEY", problem: "is not set (needed to fetch weather)").description)
        }
        let started = ContinuousClock.now
        let total = cities.count
        context.progress(0, of: total, "fetching \(total) cities")

        // The first city alone: a refused key would fail every city the same way.
        var outcomes = fetch(Array(cities.prefix(1)), offset: 0, total: total, fetcher: fetcher, context: context)
        if case .failure(let error) = outcomes[0], error == .invalidAPIKey || error.isConfiguration {
            context.progress(1, of: total, "stopped after \(cities[0]): \(error)")
            throw PermanentFailure("\(error); stopped after the first city (\(cities[0])), the other \(total - 1) were not fetched")
        }
        if total > 1 {
            if context.token.stopReason == .none {
                outcomes += fetch(Array(cities.dropFirst()), offset: 1, total: total, fetcher: fetcher, context: context)
            } else {
                outcomes += Array(repeating: .failure(.cancelled), count: total - 1)
            }
        }

        let reason = context.token.stopReason
        if reason == .timedOut || reason == .shutdown { try context.checkpoint() }  // runs again: store nothing

        let fetched = outcomes.compactMap { try? $0.get() }
        let (searchIDs, jobIDs) = try store(fetched, on: try context.database())
        var failures: [JSONValue] = []
        var transient: [String] = []
        for (query, outcome) in zip(cities, outcomes) {
            guard case .failure(let error) = outcome, error != .cancelled else { continue }
            failures.append([
                "city": .string(query.city), "country": query.country.map { .string($0) } ?? .null,
                "error": .string(error.kind), "message": .string(error.description),
            ])
            if error.isRetryable { transient.append("\(query): \(error)") }
        }
        let done = outcomes.filter { $0 != .failure(.cancelled) }.count
        let summary = "\(searchIDs.count) stored, \(failures.count) failed"
        if reason == .cancelled {
            let ids = searchIDs.map(String.init).joined(separator: ", ")
            context.progress(done, of: total, "cancelled after \(done) of \(total) cities: \(summary)" + (ids.isEmpty ? "" : " (searches \(ids))"))
            try context.checkpoint()
        }
        if searchIDs.isEmpty, !transient.isEmpty {
            throw BulkUpdateFailed(
                description: "none of the \(total) cities could be fetched: " + transient.prefix(3).joined(separator: "; ")
                    + (transient.count > 3 ? "; and \(transient.count - 3) more" : ""))
        }
        context.progress(done, of: total, "done: \(summary)")
        return [
            "requested": .int(total), "succeeded": .int(searchIDs.count), "failed": .array(failures),
            "search_ids": .array(searchIDs.map { .int($0) }), "processing_job_ids": .array(jobIDs.map { .int($0) }),
            "preset": preset.map { .string($0) } ?? .null,
            "duration_ms": .int(Int((started.duration(to: .now) / .milliseconds(1)).rounded())),
        ]
    }

    /// A retryable failure: nothing could be fetched, for a reason that may pass.
    struct BulkUpdateFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// What the fetch threads report to the task thread.
    struct Pump {
        var reports: [(done: Int, city: String)] = []
        var results: [Result<CurrentWeather, WeatherProviderError>]?
    }

    /// Runs the fetch on a thread of its own and records progress on the task's thread (the
    /// database connection belongs to it) after each city. Stops early, leaving the rest
    /// `.cancelled`, when the job is asked to stop.
    static func fetch(
        _ cities: [CityQuery], offset: Int, total: Int, fetcher: BulkWeatherFetcher, context: JobContext
    ) -> [Result<CurrentWeather, WeatherProviderError>] {
        let token = context.token
        let pump = ConditionLock(Pump())
        let thread = PosixThread(name: "bulk-weather-update") {
            let results = fetcher.fetch(
                cities, progress: { done, _, city in pump.withLock { $0.reports.append((done, city)) } },
                isCancelled: { token.stopReason != .none })
            pump.withLock { $0.results = results }
        }
        defer { thread.join() }
        while true {
            let taken = pump.wait(until: { !$0.reports.isEmpty || $0.results != nil }) { state -> Pump in
                defer { state.reports.removeAll() }
                return state
            }
            let reports = taken?.reports ?? []
            let results = taken?.results
            for report in reports {
                context.progress(offset + report.done, of: total, "\(offset + report.done) of \(total) done (last: \(report.city))")
            }
            if let results { return results }
        }
    }

    static let processing = JobQueue(registry: TaskRegistry([AsyncWeatherProcessingTask.definition]))

    /// Stores the searches and enqueues their processing, all or nothing.
    static func store(_ fetched: [CurrentWeather], on database: PostgresConnection) throws -> (searchIDs: [Int], jobIDs: [Int]) {
        guard !fetched.isEmpty else { return ([], []) }
        return try database.transaction { connection in
            let ids = try fetched.map { try SearchStore.insert($0, on: connection).id }
            let requests = ids.map { id in
                EnqueueRequest(
                    task: AsyncWeatherProcessingTask.name, args: ["search_id": .int(id)],
                    uniqueKey: "\(AsyncWeatherProcessingTask.name):\(id)")
            }
            return (ids, try processing.enqueueBatch(requests, on: connection))
        }
    }
}

extension WeatherProviderError {
    /// A stable snake_case name for results.
    var kind: String {
        switch self {
        case .badInput: "bad_input"
        case .configuration: "configuration"
        case .invalidAPIKey: "invalid_api_key"
        case .cityNotFound: "city_not_found"
        case .rateLimited: "rate_limited"
        case .server: "server_error"
        case .unexpectedStatus: "unexpected_status"
        case .timedOut: "timed_out"
        case .unreachable: "unreachable"
        case .invalidResponse: "invalid_response"
        case .cancelled: "cancelled"
        }
    }

    var isConfiguration: Bool {
        if case .configuration = self { return true }
        return false
    }
}
