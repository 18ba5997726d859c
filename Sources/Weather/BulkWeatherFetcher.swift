import Threads

/// Fetches the current weather of many cities in parallel, within a bound and a request budget.
///
/// ``fetch(_:progress:isCancelled:)`` starts up to ``WeatherProviderConfiguration/maxParallel``
/// POSIX threads, each with its own ``WeatherProvider`` (one curl handle each); they take cities
/// in input order and all spend one shared ``RateLimiter``, so the whole fetch, retries included,
/// stays within ``WeatherProviderConfiguration/requestsPerMinute``.
///
/// The fetcher is `Sendable` and may be reused; reusing it (or passing one limiter to several
/// fetchers) keeps consecutive fetches inside the same budget.
public struct BulkWeatherFetcher: Sendable {
    /// The provider settings every worker uses.
    public let configuration: WeatherProviderConfiguration
    /// The budget all workers share.
    public let rateLimiter: RateLimiter

    private let sleep: (@Sendable (Duration) -> Void)?

    /// Creates a fetcher.
    /// - Parameters:
    ///   - configuration: Where and how to fetch, the bound and the budget.
    ///   - rateLimiter: The budget to spend; by default a new limiter of
    ///     ``WeatherProviderConfiguration/requestsPerMinute`` per minute, owned by this fetcher.
    ///   - sleep: The wait before a retry. By default a real sleep that ends early on cancellation.
    public init(
        configuration: WeatherProviderConfiguration,
        rateLimiter: RateLimiter? = nil,
        sleep: (@Sendable (Duration) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.rateLimiter = rateLimiter ?? RateLimiter(requestsPerMinute: configuration.requestsPerMinute)
        self.sleep = sleep
    }

    /// Fetches every query; blocks the calling thread until all are done or cancelled.
    ///
    /// One city's failure never affects the others: each outcome is recorded in its own slot.
    /// Queries are validated one by one, so bad input fails only its own entry.
    /// - Parameters:
    ///   - queries: The cities, in the order wanted for the results.
    ///   - progress: Called after each city that finished (success or failure, not cancelled),
    ///     with how many are done so far, the total, and that city's name as asked. **Called on
    ///     the worker threads**, one call at a time (calls are serialized, `done` counts up by
    ///     one), so keep it short: it holds up the other workers' progress reports.
    ///   - isCancelled: Polled before each city, before each attempt, and while waiting for the
    ///     budget or a retry; once it returns `true`, no new city is started, cities waiting stop,
    ///     and every city without an outcome gets ``WeatherProviderError/cancelled``. Called from
    ///     the worker threads.
    /// - Returns: One outcome per query, in input order.
    public func fetch(
        _ queries: [CityQuery],
        progress: (@Sendable (_ done: Int, _ total: Int, _ city: String) -> Void)? = nil,
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) -> [Result<CurrentWeather, WeatherProviderError>] {
        guard !queries.isEmpty else { return [] }
        let state = ConditionLock(SharedState(count: queries.count))
        let done = ConditionLock(0)
        let total = queries.count
        let workerCount = min(configuration.maxParallel, total)
        let configuration = configuration
        let rateLimiter = rateLimiter
        let injectedSleep = sleep

        let threads = (0..<workerCount).map { number in
            PosixThread(name: "weather-bulk-\(number)") {
                let retrySleep: (Duration) -> Void =
                    injectedSleep ?? { duration in
                        _ = SystemClock().sleep(for: duration, isCancelled: isCancelled)
                    }
                let provider = Result { () throws(WeatherProviderError) in
                    try WeatherProvider(configuration: configuration, rateLimiter: rateLimiter, sleep: retrySleep)
                }
                while true {
                    if isCancelled() { return }
                    guard let index = state.withLock({ $0.takeNext() }) else { return }
                    let query = queries[index]
                    let outcome = provider.flatMap { provider in
                        Result { () throws(WeatherProviderError) in
                            try provider.current(city: query.city, country: query.country, isCancelled: isCancelled)
                        }
                    }
                    state.withLock { $0.results[index] = outcome }
                    if case .failure(.cancelled) = outcome { return }
                    if let progress {
                        done.withLock { done in
                            done += 1
                            progress(done, total, query.city)
                        }
                    }
                }
            }
        }
        for thread in threads { thread.join() }
        return state.withLock { state in
            state.results.map { $0 ?? .failure(.cancelled) }
        }
    }

    /// What the workers share: the next index to take and the outcomes so far.
    private struct SharedState {
        var next = 0
        var results: [Result<CurrentWeather, WeatherProviderError>?]

        init(count: Int) {
            results = Array(repeating: nil, count: count)
        }

        mutating func takeNext() -> Int? {
            guard next < results.count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}
