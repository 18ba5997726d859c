import AppSupport
import Logging
import Postgres
import Synchronization
import Threads
#if canImport(Glibc)
import Glibc
#endif

/// The queue daemon: one dispatcher thread (LISTEN + batch claims + polling fallback), N worker
/// threads, a completion writer that batches outcomes, and a monitor (heartbeat, timeouts,
/// cancellation fallback, rescue of other workers' lost jobs). Each thread owns its connection.
///
/// `run()` blocks until SIGTERM/SIGINT (or `requestStop()`), then stops claiming, hands back
/// prefetched jobs, lets running jobs finish within the grace period, asks the rest to stop and
/// hands them back without counting the attempt, flushes outcomes and returns.
public final class Daemon: Sendable {
    /// The configuration.
    public let configuration: DaemonConfiguration
    /// This daemon's worker id.
    public let identity: WorkerIdentity
    let registry: TaskRegistry
    let logger: Logger
    let state = ConditionLock(State())
    let outbox = ConditionLock(Outbox())
    let doorbell = Doorbell()
    let stopRequested = Atomic<Bool>(false)
    let monitorStop = ConditionLock(false)

    struct Running {
        var token: CancellationToken
        var deadline: ContinuousClock.Instant
    }

    struct State {
        var buffer: [ClaimedJob] = []
        var running: [Int: Running] = [:]
        var mayHaveMore = false
        var stopping = false
        /// Moving average of how long jobs take to run, in seconds (10 ms until measured).
        var averageJobSeconds = 0.01
    }

    struct Outbox {
        var completions: [Completion] = []
        var handBacks: [Int] = []
        var closed = false
    }

    /// A daemon for the tasks of `registry`.
    public init(configuration: DaemonConfiguration, registry: TaskRegistry, logger: Logger = Logger(label: "daemon")) {
        self.configuration = configuration
        self.registry = registry
        self.logger = logger
        self.identity = WorkerIdentity.current()
    }

    /// Asks `run()` to stop as SIGTERM would (for embedding and tests).
    public func requestStop() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
    }

    /// Work the buffer should hold ahead of the workers, in seconds of average job time.
    static let prefetchHorizon = 0.05
    /// Bounds of the adaptive prefetch.
    static let maxPrefetch = 1000

    /// Jobs to hold ahead of free workers: the configured number, or as many as the workers get
    /// through in `prefetchHorizon` at the average job time measured so far (between
    /// `concurrency` and `maxPrefetch`). Short jobs get big claims (one claim and one completion
    /// statement per hundreds of jobs); long jobs are not hoarded away from other daemons.
    func prefetch(_ state: State) -> Int {
        if let fixed = configuration.prefetch { return fixed }
        let perJob = max(state.averageJobSeconds, 0.000_01)
        let adaptive = Double(configuration.concurrency) * Daemon.prefetchHorizon / perJob
        return Int(min(Double(Daemon.maxPrefetch), max(Double(configuration.concurrency), adaptive)))
    }

    func capacity(_ state: State) -> Int { configuration.concurrency + prefetch(state) }
    func lowWater(_ state: State) -> Int { max(1, prefetch(state) / 2) }

    /// Runs until SIGTERM/SIGINT or `requestStop()`; see the type's documentation.
    public func run() {
        ShutdownSignals.block()
        logger.info(
            "daemon \(identity.id) starting: queues \(configuration.queues.joined(separator: ",")), concurrency \(configuration.concurrency)")
        let completer = PosixThread(name: "completer") { self.completionLoop() }
        let monitor = PosixThread(name: "monitor") { self.monitorLoop() }
        let workers = (0..<configuration.concurrency).map { index in PosixThread(name: "worker-\(index)") { self.workerLoop() } }
        let dispatcher = PosixThread(name: "dispatcher") { self.dispatchLoop() }

        while !stopRequested.load(ordering: .sequentiallyConsistent) {
            if let signal = ShutdownSignals.wait(timeout: .milliseconds(200)) {
                logger.info("received \(signal): stopping; running jobs have \(configuration.shutdownGrace) to finish")
                break
            }
        }
        shutdown(dispatcher: dispatcher, workers: workers)
        outbox.withLock { $0.closed = true }
        completer.join()
        monitorStop.withLock { $0 = true }
        monitor.join()
        markStopped()
        logger.info("daemon \(identity.id) stopped")
    }

    private func shutdown(dispatcher: PosixThread, workers: [PosixThread]) {
        let unstarted = state.withLock { state -> [ClaimedJob] in
            state.stopping = true
            defer { state.buffer.removeAll() }
            return state.buffer
        }
        doorbell.ring()
        dispatcher.join()
        if !unstarted.isEmpty {
            outbox.withLock { $0.handBacks.append(contentsOf: unstarted.map(\.id)) }
        }
        var finished = state.wait(until: { $0.running.isEmpty }, timeout: configuration.shutdownGrace) { _ in true } ?? false
        if !finished {
            let ids = state.withLock { state -> [Int] in
                for running in state.running.values { running.token.stop(.shutdown) }
                return Array(state.running.keys)
            }
            logger.warning("\(ids.count) jobs still running after the grace period; asking them to stop and handing them back")
            finished = state.wait(until: { $0.running.isEmpty }, timeout: .seconds(5)) { _ in true } ?? false
            if !finished {
                let stuck = state.withLock { Array($0.running.keys) }
                logger.warning("jobs \(stuck) did not stop; handing them back anyway")
                outbox.withLock { $0.handBacks.append(contentsOf: stuck) }
                return
            }
        }
        for worker in workers { worker.join() }
    }

    // MARK: Dispatcher

    private func dispatchLoop() {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(conninfo: configuration.databaseURL, applicationName: "taskrunner-daemon", connectNow: false)
        } catch {
            logger.error("dispatcher cannot start: \(error)")
            return
        }
        var listening = false
        var backoff = Duration.milliseconds(100)
        let queues = configuration.queues
        var nextQueue = 0
        while !state.withLock({ $0.stopping }) {
            do {
                if !listening {
                    try connection.listen(JobQueries.jobsChannel)
                    try connection.listen(JobQueries.cancelChannel)
                    listening = true
                }
                let want = state.withLock { capacity($0) - $0.buffer.count - $0.running.count }
                if want > 0 {
                    // One statement per queue, starting from a different queue each time so none
                    // starves; priorities order jobs within a queue.
                    var claimed: [ClaimedJob] = []
                    for offset in 0..<queues.count where claimed.count < want {
                        let queue = queues[(nextQueue + offset) % queues.count]
                        let rows = try connection.query(JobQueries.claim(queue: queue, limit: want - claimed.count, worker: identity.id))
                        claimed += try rows.map(ClaimedJob.init(row:))
                    }
                    nextQueue = (nextQueue + 1) % queues.count
                    if !claimed.isEmpty {
                        let stillRunning = state.withLock { state -> Bool in
                            if state.stopping { return false }
                            state.buffer.append(contentsOf: claimed)
                            state.buffer.sort(by: ClaimedJob.before)
                            state.mayHaveMore = claimed.count == want
                            return true
                        }
                        if !stillRunning {
                            outbox.withLock { $0.handBacks.append(contentsOf: claimed.map(\.id)) }
                            return
                        }
                        for job in claimed where job.cancelRequested { stop(job: job.id, reason: .cancelled) }
                    } else {
                        state.withLock { $0.mayHaveMore = false }
                    }
                    if claimed.count == want { continue }
                }
                let notes = try connection.waitForNotifications(timeout: configuration.pollInterval, wakeDescriptor: doorbell.descriptor)
                doorbell.drain()
                for note in notes where note.channel == JobQueries.cancelChannel {
                    if let id = Int(note.payload) { stop(job: id, reason: .cancelled) }
                }
                backoff = .milliseconds(100)
            } catch {
                logger.warning("dispatcher: \(error); retrying in \(backoff)")
                pause(backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    /// Stops a job this daemon holds: a prefetched one is cancelled without running; a running
    /// one gets the reason through its token.
    func stop(job id: Int, reason: StopReason) {
        let prefetched = state.withLock { state -> ClaimedJob? in
            if let running = state.running[id] {
                running.token.stop(reason)
                return nil
            }
            guard let index = state.buffer.firstIndex(where: { $0.id == id }) else { return nil }
            return state.buffer.remove(at: index)
        }
        if let job = prefetched {
            let outcome = Completion.decide(
                id: job.id, attempt: job.attempt, maxAttempts: job.maxAttempts, timeoutSeconds: job.timeoutSeconds ?? 0,
                policy: configuration.retryPolicy, result: .failure(JobStopped(reason: reason)))
            if let outcome { outbox.withLock { $0.completions.append(outcome) } }
        }
    }

    /// Sleeps, waking early when the daemon stops.
    func pause(_ duration: Duration) {
        _ = state.wait(until: { $0.stopping }, timeout: duration) { _ in true }
    }

    // MARK: Workers

    private func workerLoop() {
        var connection: PostgresConnection?
        let database = { () throws -> PostgresConnection in
            if let connection { return connection }
            let opened = try PostgresConnection(
                conninfo: self.configuration.databaseURL, applicationName: "taskrunner-worker", connectNow: false)
            connection = opened
            return opened
        }
        while true {
            let next = state.wait(until: { !$0.buffer.isEmpty || $0.stopping }) { state -> (ClaimedJob, CancellationToken, Bool)? in
                guard !state.stopping, !state.buffer.isEmpty else { return nil }
                let job = state.buffer.removeFirst()
                let token = CancellationToken()
                let seconds = job.timeoutSeconds ?? registry[job.task]?.timeoutSeconds ?? 300
                state.running[job.id] = Running(token: token, deadline: .now + .seconds(seconds))
                let ring = state.mayHaveMore && state.buffer.count <= lowWater(state)
                return (job, token, ring)
            }
            guard let (job, token, ring) = next ?? nil else { return }
            if ring { doorbell.ring() }
            let started = ContinuousClock.now
            execute(job, token: token, database: database)
            let took = started.duration(to: .now)
            let seconds = took / .seconds(1)
            let refill = state.withLock { state -> Bool in
                state.running.removeValue(forKey: job.id)
                state.averageJobSeconds += (seconds - state.averageJobSeconds) * 0.05
                return state.mayHaveMore && state.buffer.count <= lowWater(state)
            }
            if refill { doorbell.ring() }
        }
    }

    private func execute(_ job: ClaimedJob, token: CancellationToken, database: @escaping () throws -> PostgresConnection) {
        let timeout = job.timeoutSeconds ?? registry[job.task]?.timeoutSeconds ?? 300
        let result: Result<JSONValue, any Error>
        if let definition = registry[job.task] {
            let worker = identity.id
            let context = JobContext(
                jobID: job.id, task: job.task, args: job.args, attempt: job.attempt, token: token,
                progress: { current, total, message in
                    do {
                        try database().execute(
                            JobQueries.updateProgress(id: job.id, worker: worker, current: current, total: total, message: message))
                    } catch {
                        self.logger.debug("progress of job \(job.id) not recorded: \(error)")
                    }
                }, database: database)
            result = Result { try definition.run(context) }
        } else {
            result = .failure(PermanentFailure("task \(job.task) is not registered in this worker"))
        }
        let outcome = Completion.decide(
            id: job.id, attempt: job.attempt, maxAttempts: job.maxAttempts, timeoutSeconds: timeout,
            policy: configuration.retryPolicy, result: result)
        outbox.withLock { outbox in
            if let outcome { outbox.completions.append(outcome) } else { outbox.handBacks.append(job.id) }
        }
    }

    // MARK: Completion writer

    private func completionLoop() {
        guard
            let connection = try? PostgresConnection(
                conninfo: configuration.databaseURL, applicationName: "taskrunner-completer", connectNow: false)
        else { return }
        var backoff = Duration.milliseconds(50)
        while true {
            let taken = outbox.wait(until: { !$0.completions.isEmpty || !$0.handBacks.isEmpty || $0.closed }) {
                outbox -> ([Completion], [Int], Bool) in
                let batch = Array(outbox.completions.prefix(500))
                outbox.completions.removeFirst(batch.count)
                let backs = outbox.handBacks
                outbox.handBacks.removeAll()
                return (batch, backs, outbox.closed && outbox.completions.isEmpty)
            }
            guard var (batch, backs, last) = taken else { continue }
            let clock = ContinuousClock()
            let giveUp = clock.now + .seconds(30)
            while !batch.isEmpty || !backs.isEmpty {
                do {
                    if !batch.isEmpty {
                        let document = PostgresJSON(text: JSONValue.array(batch.map(\.json)).serialized)
                        try connection.execute(JobQueries.complete(document, worker: identity.id))
                        batch.removeAll()
                    }
                    if !backs.isEmpty {
                        try connection.execute(JobQueries.handBack(ids: PostgresTextArray(backs.map(String.init)), worker: identity.id))
                        logger.info("handed back \(backs.count) jobs")
                        backs.removeAll()
                    }
                    backoff = .milliseconds(50)
                } catch {
                    if last && clock.now > giveUp {
                        logger.error("could not record \(batch.count) outcomes before exiting: \(error); their jobs will be rescued")
                        return
                    }
                    logger.warning("completion writer: \(error); retrying in \(backoff)")
                    blockingSleep(backoff)
                    backoff = min(backoff * 2, .seconds(2))
                    // Outcomes that arrived meanwhile join the retry.
                    let (more, moreBacks, closedNow) = outbox.withLock { outbox -> ([Completion], [Int], Bool) in
                        defer {
                            outbox.completions.removeAll()
                            outbox.handBacks.removeAll()
                        }
                        return (outbox.completions, outbox.handBacks, outbox.closed)
                    }
                    batch += more
                    backs += moreBacks
                    last = last || closedNow
                }
            }
            if last { return }
        }
    }

    // MARK: Monitor

    private func monitorLoop() {
        guard
            let connection = try? PostgresConnection(
                conninfo: configuration.databaseURL, applicationName: "taskrunner-monitor", connectNow: false)
        else { return }
        let clock = ContinuousClock()
        var nextBeat = clock.now
        let queues = PostgresTextArray(configuration.queues)
        while true {
            let quit = monitorStop.wait(until: { $0 }, timeout: .milliseconds(100)) { _ in true } ?? false
            if quit { return }
            let now = clock.now
            state.withLock { state in
                for (_, running) in state.running where running.deadline < now { running.token.stop(.timedOut) }
            }
            guard now >= nextBeat else { continue }
            nextBeat = now + configuration.heartbeatInterval
            do {
                try connection.execute(
                    JobQueries.registerWorker(
                        id: identity.id, host: identity.host, pid: identity.pid, queues: queues, concurrency: configuration.concurrency))
                for row in try connection.query(JobQueries.cancelRequested(worker: identity.id)) {
                    stop(job: try row.decode(Int.self, "id"), reason: .cancelled)
                }
                let count = try JobQueue(registry: registry).rescueLostJobs(after: configuration.rescueAfter, on: connection)
                if count > 0 {
                    logger.warning("rescued \(count) jobs of workers that stopped heartbeating")
                }
            } catch {
                logger.warning("heartbeat: \(error)")
            }
        }
    }

    private func markStopped() {
        do {
            let connection = try PostgresConnection(conninfo: configuration.databaseURL, applicationName: "taskrunner-daemon")
            try connection.execute(JobQueries.workerStopped(worker: identity.id))
        } catch {
            logger.warning("could not mark the worker stopped: \(error)")
        }
    }
}
