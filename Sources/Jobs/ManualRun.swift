import AppSupport
import Logging
import Postgres
import Threads

/// `TaskRunner run TASK`: runs a task now, in this process, recorded like a queued job (a jobs
/// row, an attempt in the history, a worker row that heartbeats while it runs, so a crash is
/// rescued like any other). A manual run is one attempt: it is not retried.
public struct ManualRun {
    let registry: TaskRegistry
    let databaseURL: String
    let heartbeatInterval: Duration
    let logger: Logger

    /// Creates a runner.
    public init(registry: TaskRegistry, databaseURL: String, heartbeatInterval: Duration = .seconds(5), logger: Logger) {
        self.registry = registry
        self.databaseURL = databaseURL
        self.heartbeatInterval = heartbeatInterval
        self.logger = logger
    }

    /// Runs `request.task` with `request.args` and returns the finished job. `started` is called
    /// with the job's id once its row exists, before the task runs.
    public func run(
        _ request: EnqueueRequest, on connection: PostgresConnection, started: (Int) -> Void = { _ in }
    ) throws -> Job {
        let valid = try request.validated(against: registry)
        guard let definition = registry[valid.task] else { throw EnqueueError.unknownTask(valid.task) }
        let identity = WorkerIdentity.current(prefix: "run:")
        try connection.execute(
            JobQueries.registerWorker(id: identity.id, host: identity.host, pid: identity.pid, queues: PostgresTextArray([valid.queue]), concurrency: 1))
        let timeout = valid.timeoutSeconds ?? definition.timeoutSeconds
        guard
            let id = try connection.query(
                JobQueries.insertRunning(
                    task: valid.task, args: PostgresJSON(text: valid.args.serialized), queue: valid.queue, timeoutSeconds: timeout,
                    worker: identity.id)
            ).first?.decode(Int.self, "id")
        else { throw PostgresError(kind: .usage, message: "the job row was not created") }
        started(id)

        let token = CancellationToken()
        let done = ConditionLock(false)
        let databaseURL = self.databaseURL
        let interval = heartbeatInterval
        let logger = self.logger
        let beat = PosixThread(name: "heartbeat") {
            guard let monitor = try? PostgresConnection(conninfo: databaseURL, applicationName: "taskrunner-run", connectNow: false) else { return }
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(timeout)
            var nextBeat = clock.now + interval
            while !(done.wait(until: { $0 }, timeout: .milliseconds(100)) { _ in true } ?? false) {
                if clock.now > deadline { token.stop(.timedOut) }
                guard clock.now >= nextBeat else { continue }
                nextBeat = clock.now + interval
                do {
                    try monitor.execute(JobQueries.heartbeat(worker: identity.id))
                    if try !monitor.query(JobQueries.cancelRequested(worker: identity.id)).isEmpty { token.stop(.cancelled) }
                } catch {
                    logger.warning("heartbeat: \(error)")
                }
            }
        }
        let context = JobContext(
            jobID: id, task: valid.task, args: valid.args, attempt: 1, token: token,
            progress: { current, total, message in
                _ = try? connection.execute(
                    JobQueries.updateProgress(id: id, worker: identity.id, current: current, total: total, message: message))
            }, database: { connection })
        let result = Result { try definition.run(context) }
        done.withLock { $0 = true }
        beat.join()
        let outcome = Completion.decide(
            id: id, attempt: 1, maxAttempts: 1, timeoutSeconds: timeout, policy: RetryPolicy(), result: result)
            ?? Completion(id: id, attempt: 1, state: .cancelled, outcome: "cancelled", result: nil, error: "stopped", retryInMilliseconds: 0)
        try connection.execute(JobQueries.complete(PostgresJSON(text: JSONValue.array([outcome.json]).serialized), worker: identity.id))
        try connection.execute(JobQueries.workerStopped(worker: identity.id))
        guard let job = try JobQueue(registry: registry).job(id, on: connection) else {
            throw PostgresError(kind: .usage, message: "job \(id) vanished")
        }
        return job
    }
}
