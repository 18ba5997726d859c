import ArgumentParser
import Jobs
import Tasks

/// `TaskRunner daemon`: drains the queue until SIGTERM/SIGINT.
struct DaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Drain the queue (LISTEN/NOTIFY with a polling fallback) until SIGTERM or SIGINT.",
        discussion: "On SIGTERM/SIGINT it stops claiming, lets running jobs finish within --grace seconds, hands back what is unfinished without counting the attempt, and exits 0.")

    @Option(help: "Comma-separated queues to drain.")
    var queues = "default"

    @Option(help: "Jobs run at once.")
    var concurrency = 4

    @Option(help: "Jobs claimed ahead of free workers (default: adaptive, about 50 ms of work, from concurrency to 1000).")
    var prefetch: Int?

    @Option(name: .customLong("poll-interval"), help: "Seconds between polls when no notification arrives.")
    var pollInterval: Double = 1

    @Option(help: "Seconds running jobs may take to finish after SIGTERM.")
    var grace: Double = 30

    @Option(name: .customLong("rescue-after"), help: "Seconds without a heartbeat after which a worker's jobs are rescued.")
    var rescueAfter: Int = 30

    @Option(name: .customLong("heartbeat-interval"), help: "Seconds between heartbeats.")
    var heartbeatInterval: Double = 5

    @Option(name: .customLong("retry-base"), help: "Seconds before the first retry; doubles each attempt, with jitter.")
    var retryBase: Double = 2

    func validate() throws {
        let names = queues.split(separator: ",").map(String.init)
        if names.isEmpty || names.contains(where: \.isEmpty) { throw ValidationError("--queues must be comma-separated queue names") }
        if !(1...256).contains(concurrency) { throw ValidationError("--concurrency must be from 1 to 256") }
        if let prefetch, !(0...10_000).contains(prefetch) { throw ValidationError("--prefetch must be from 0 to 10000") }
        if pollInterval <= 0 || grace < 0 || rescueAfter < 1 || heartbeatInterval <= 0 || retryBase < 0 {
            throw ValidationError("intervals must be positive")
        }
    }

    func run() throws {
        try reportingFailures {
            let environment = try CommandEnvironment(label: "daemon")
            // Fail fast, with one line, when the database is unreachable at start.
            _ = try environment.connect(applicationName: "taskrunner-daemon")
            let configuration = DaemonConfiguration(
                databaseURL: environment.databaseURL, queues: queues.split(separator: ",").map(String.init), concurrency: concurrency,
                prefetch: prefetch, pollInterval: .milliseconds(Int(pollInterval * 1000)),
                heartbeatInterval: .milliseconds(Int(heartbeatInterval * 1000)), rescueAfter: .seconds(rescueAfter),
                shutdownGrace: .milliseconds(Int(grace * 1000)), retryPolicy: RetryPolicy(base: .milliseconds(Int(retryBase * 1000))))
            Daemon(configuration: configuration, registry: TaskCatalog.registry, logger: environment.logger).run()
        }
    }
}
