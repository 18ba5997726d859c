/// How a daemon drains the queue.
public struct DaemonConfiguration: Sendable {
    /// The connection string.
    public var databaseURL: String
    /// Queues to drain.
    public var queues: [String]
    /// Jobs run at once (worker threads).
    public var concurrency: Int
    /// Jobs claimed ahead of free workers, so claims come in batches; nil adapts it to how long
    /// jobs take (see `Daemon.prefetch`).
    public var prefetch: Int?
    /// How often to look for jobs without a notification (delayed jobs, missed wake-ups).
    public var pollInterval: Duration
    /// How often to write the heartbeat (and check for rescues and cancellations).
    public var heartbeatInterval: Duration
    /// A worker silent this long is presumed dead; its running jobs are rescued.
    public var rescueAfter: Duration
    /// How long running jobs may take to finish after SIGTERM before they are handed back.
    public var shutdownGrace: Duration
    /// Backoff between attempts.
    public var retryPolicy: RetryPolicy

    /// Creates a configuration.
    public init(
        databaseURL: String, queues: [String] = ["default"], concurrency: Int = 4, prefetch: Int? = nil,
        pollInterval: Duration = .seconds(1), heartbeatInterval: Duration = .seconds(5), rescueAfter: Duration = .seconds(30),
        shutdownGrace: Duration = .seconds(30), retryPolicy: RetryPolicy = RetryPolicy()
    ) {
        self.databaseURL = databaseURL
        self.queues = queues
        self.concurrency = concurrency
        self.prefetch = prefetch
        self.pollInterval = pollInterval
        self.heartbeatInterval = heartbeatInterval
        self.rescueAfter = rescueAfter
        self.shutdownGrace = shutdownGrace
        self.retryPolicy = retryPolicy
    }
}
