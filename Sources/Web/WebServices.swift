import Access
import AppSupport
import Jobs
import Weather

/// What routes need beyond a request and its thread's connection, built once by the executable
/// and shared by every responder thread.
public struct WebServices: Sendable {
    /// The tasks `POST /api/tasks` may enqueue.
    public var registry: TaskRegistry
    /// The weather provider's settings (`GET /api/weather`); nil when they are invalid, with the
    /// reason in `weatherProblem`.
    public var weather: WeatherProviderConfiguration?
    /// Why `weather` is nil.
    public var weatherProblem: String?
    /// The per-minute provider budget all threads share.
    public var rateLimiter: RateLimiter?
    /// Waits for jobs to finish (`GET /api/tasks/{id}?wait=`); nil in tests without one.
    public var waiter: JobWaiter?
    /// Request and job figures for `/metrics`.
    public var metrics: RequestMetrics
    /// Rendered `GET /api/searches` pages; live only while `waiter`'s listener follows the
    /// table's changes (never without a waiter).
    public let searchPages: SearchPageCache
    /// Bearer tokens found live, by hash: live only while `waiter`'s listener follows token
    /// changes; values are re-read after a minute (which also refreshes `last_used_at`).
    public let tokens: NotifiedCache<APIToken>
    /// Admin session lengths and sign-in throttling (`ADMIN_*`, read once by the executable).
    public let adminPolicy: AdminAuthPolicy

    /// The job queue for `registry`; with a waiter, daemons are woken through its listener
    /// after each enqueue commits (`JobWakeups`).
    public var queue: JobQueue { JobQueue(registry: registry, wakeups: waiter) }

    /// Services with the given parts.
    public init(
        registry: TaskRegistry = TaskRegistry(), weather: WeatherProviderConfiguration? = nil, weatherProblem: String? = nil,
        rateLimiter: RateLimiter? = nil, waiter: JobWaiter? = nil, metrics: RequestMetrics = RequestMetrics(),
        searchPages: SearchPageCache = SearchPageCache(),
        tokens: NotifiedCache<APIToken> = NotifiedCache(channel: TokenStore.changesChannel, capacity: 256, maxAge: .seconds(60)),
        adminPolicy: AdminAuthPolicy = AdminAuthPolicy()
    ) {
        self.registry = registry
        self.weather = weather
        self.weatherProblem = weatherProblem
        self.rateLimiter = rateLimiter
        self.waiter = waiter
        self.metrics = metrics
        self.searchPages = searchPages
        self.tokens = tokens
        self.adminPolicy = adminPolicy
        waiter?.follow(searchPages)
        waiter?.follow(tokens)
    }
}
