import AppSupport

/// How long admin sessions last and how failed sign-ins are throttled. `init(environment:)`
/// reads the `ADMIN_*` variables; every one has a default.
public struct AdminAuthPolicy: Sendable, Equatable {
    /// A session unused this long is refused (`ADMIN_SESSION_IDLE_MINUTES`, default 480 = 8 h).
    public var sessionIdleSeconds: Int
    /// A session is refused this long after sign-in, however active (`ADMIN_SESSION_MAX_HOURS`,
    /// default 168 = 7 days); also the cookie's `Max-Age`.
    public var sessionLifetimeSeconds: Int
    /// Failed sign-ins for one user name within the window before further tries are refused
    /// (`ADMIN_LOGIN_MAX_FAILURES_PER_USER`, default 5).
    public var maxFailuresPerUser: Int
    /// Failed sign-ins from one address within the window before it is refused
    /// (`ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS`, default 20).
    public var maxFailuresPerAddress: Int
    /// The window failures are counted in (`ADMIN_LOGIN_WINDOW_MINUTES`, default 15).
    public var failureWindowSeconds: Int
    /// The pause before answering a failed sign-in (`ADMIN_LOGIN_FAILURE_DELAY_MS`, default 300).
    public var failureDelayMilliseconds: Int

    /// A policy; the defaults are those documented on each property.
    public init(
        sessionIdleSeconds: Int = 8 * 3600, sessionLifetimeSeconds: Int = 7 * 86400, maxFailuresPerUser: Int = 5,
        maxFailuresPerAddress: Int = 20, failureWindowSeconds: Int = 15 * 60, failureDelayMilliseconds: Int = 300
    ) {
        self.sessionIdleSeconds = sessionIdleSeconds
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.maxFailuresPerUser = maxFailuresPerUser
        self.maxFailuresPerAddress = maxFailuresPerAddress
        self.failureWindowSeconds = failureWindowSeconds
        self.failureDelayMilliseconds = failureDelayMilliseconds
    }

    /// The policy from `ADMIN_SESSION_IDLE_MINUTES` (1-10080), `ADMIN_SESSION_MAX_HOURS`
    /// (1-8760), `ADMIN_LOGIN_MAX_FAILURES_PER_USER` (1-1000), `ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS`
    /// (1-100000), `ADMIN_LOGIN_WINDOW_MINUTES` (1-1440) and `ADMIN_LOGIN_FAILURE_DELAY_MS` (0-5000);
    /// a bad value throws a `ConfigurationError` naming it.
    public init(environment: Environment) throws {
        let defaults = AdminAuthPolicy()
        self.init(
            sessionIdleSeconds: try environment.integer("ADMIN_SESSION_IDLE_MINUTES", default: defaults.sessionIdleSeconds / 60, range: 1...10080) * 60,
            sessionLifetimeSeconds: try environment.integer("ADMIN_SESSION_MAX_HOURS", default: defaults.sessionLifetimeSeconds / 3600, range: 1...8760) * 3600,
            maxFailuresPerUser: try environment.integer("ADMIN_LOGIN_MAX_FAILURES_PER_USER", default: defaults.maxFailuresPerUser, range: 1...1000),
            maxFailuresPerAddress: try environment.integer(
                "ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS", default: defaults.maxFailuresPerAddress, range: 1...100_000),
            failureWindowSeconds: try environment.integer("ADMIN_LOGIN_WINDOW_MINUTES", default: defaults.failureWindowSeconds / 60, range: 1...1440) * 60,
            failureDelayMilliseconds: try environment.integer("ADMIN_LOGIN_FAILURE_DELAY_MS", default: defaults.failureDelayMilliseconds, range: 0...5000))
    }
}
