import Jobs
import Logging
import Postgres
import Threads

/// Waits for jobs to finish for `GET /api/tasks/{id}?wait=SECONDS`: one shared LISTEN connection
/// (channel `weather_job_done`) on its own thread for every waiter, and a bound on concurrent
/// waits so waiting requests can never hold every responder thread.
///
/// A waiter registers its job id, re-reads the job once (a job that finished before the
/// registration sent its notification too early to be heard), then sleeps on a condition until
/// the listener hears the id, the time is up, or a slow safety-net interval passes. After the
/// listener reconnects, every waiter is woken to re-read its job once, since notifications may
/// have been lost meanwhile.
///
/// Other parts of the responder follow their own channels through the same connection
/// (`follow(_:)`, e.g. the search page cache), so one responder holds one listening connection.
/// The same connection sends the daemons' wake-ups for jobs the responder enqueued
/// (`JobWakeups`): one `NOTIFY` for all the jobs committed since the last, instead of one inside
/// every enqueuing transaction.
public final class JobWaiter: JobWakeups {
    /// How a wait went.
    public struct Outcome: Sendable {
        /// The job as last read (nil when it does not exist).
        public var job: Job?
        /// The time the caller asked for.
        public var requested: Duration
        /// The time it was allowed (zero when limited).
        public var granted: Duration
        /// True when the bound on concurrent waits refused the wait.
        public var limited: Bool
    }

    private struct State {
        var nextToken = 0
        /// Registered waits: token → job id.
        var registered: [Int: Int] = [:]
        /// Tokens whose job was announced (or that must re-read after a reconnect).
        var woken: Set<Int> = []
        /// Waits in progress (at most `maxWaiters`).
        var active = 0
        var stopped = false
        /// Everything that follows a channel through this listener.
        var followers: [any ChannelFollower] = []
        /// Followers added since the listener last issued its LISTENs.
        var pendingFollowers: [any ChannelFollower] = []
        /// Jobs were committed since the last wake-up the listener sent to the daemons.
        var wakeupPending = false
    }

    /// The most waits in progress at once; beyond it a request does not wait.
    public let maxWaiters: Int
    /// How often a waiter re-reads its job even without a notification (a missed one).
    let safetyInterval: Duration
    private let databaseURL: String
    private let logger: Logger
    private let state = ConditionLock(State())
    private let doorbell = Doorbell()
    private let thread = ConditionLock<PosixThread?>(nil)

    /// A waiter whose listener connects to `databaseURL`; `maxWaiters` is at least 1.
    public init(databaseURL: String, maxWaiters: Int, safetyInterval: Duration = .seconds(5), logger: Logger = Logger(label: "fcgiapp")) {
        self.databaseURL = databaseURL
        self.maxWaiters = max(1, maxWaiters)
        self.safetyInterval = safetyInterval
        self.logger = logger
    }

    /// Starts the listener thread (once).
    public func start() {
        thread.withLock { thread in
            guard thread == nil else { return }
            thread = PosixThread(name: "job-waiter") { [self] in listen() }
        }
    }

    /// Stops the listener and wakes every waiter (each re-reads its job and answers); followers
    /// are told the listener is gone.
    public func stop() {
        state.withLock { $0.stopped = true }
        doorbell.ring()
        let running = thread.withLock { thread -> PosixThread? in
            defer { thread = nil }
            return thread
        }
        running?.join()
        for follower in state.withLock({ $0.followers }) { follower.listening(false) }
    }

    /// Follows `follower.channel` through this listener from now on: `follower` hears
    /// `listening(true)` once the LISTEN is in place (and after every reconnect), `changed()` for
    /// each batch of notifications on its channel, and `listening(false)` when the connection is lost.
    public func follow(_ follower: any ChannelFollower) {
        state.withLock { state in
            state.followers.append(follower)
            state.pendingFollowers.append(follower)
        }
        doorbell.ring()
    }

    /// Jobs were committed: the listener thread sends the daemons one wake-up
    /// (`NOTIFY weather_jobs`) soon, shared by every call made before it goes out.
    public func jobsWaiting() {
        let ring = state.withLock { state -> Bool in
            defer { state.wakeupPending = true }
            return !state.wakeupPending
        }
        if ring { doorbell.ring() }
    }

    /// Sends the pending wake-up, if any. Cleared before sending, so a call made meanwhile
    /// rings again; put back if sending fails (it goes out after the reconnect).
    private func sendWakeup(on connection: PostgresConnection) throws {
        let pending = state.withLock { state -> Bool in
            defer { state.wakeupPending = false }
            return state.wakeupPending
        }
        guard pending else { return }
        do {
            try connection.notify(JobQueue.jobsChannel)
        } catch {
            state.withLock { $0.wakeupPending = true }
            throw error
        }
    }

    /// Waits up to `timeout` for job `id` to finish, reading it with `read` (on the caller's own
    /// connection). Answers at once when the job is finished or unknown; answers without waiting
    /// (`limited`) when `maxWaiters` waits are already in progress.
    public func wait(for id: Int, timeout: Duration, read: () throws -> Job?) throws -> Outcome {
        let admitted = state.withLock { state -> Bool in
            guard state.active < maxWaiters, !state.stopped else { return false }
            state.active += 1
            return true
        }
        guard admitted else {
            return Outcome(job: try read(), requested: timeout, granted: .zero, limited: true)
        }
        let token = state.withLock { state -> Int in
            state.nextToken += 1
            state.registered[state.nextToken] = id
            return state.nextToken
        }
        defer {
            state.withLock { state in
                state.registered[token] = nil
                state.woken.remove(token)
                state.active -= 1
            }
        }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            // Read after registering: a notification sent from now on wakes this wait.
            guard let job = try read() else { return Outcome(job: nil, requested: timeout, granted: timeout, limited: false) }
            let remaining = clock.now.duration(to: deadline)
            if job.state.isFinished || remaining <= .zero {
                return Outcome(job: job, requested: timeout, granted: timeout, limited: false)
            }
            let stopped = state.wait(until: { $0.woken.contains(token) || $0.stopped }, timeout: min(remaining, safetyInterval)) { state in
                state.woken.remove(token)
                return state.stopped
            }
            if stopped == true {
                return Outcome(job: try read(), requested: timeout, granted: timeout, limited: false)
            }
        }
    }

    /// Waits in progress now.
    public var activeWaits: Int { state.withLock { $0.active } }

    /// The listener thread: LISTEN, wait for notifications, wake the waiters they name; after a
    /// reconnect, wake every waiter; on failure, retry every second until stopped.
    private func listen() {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(conninfo: databaseURL, applicationName: "fcgiapp-waiter", connectNow: false)
        } catch {
            logger.error("job waiter: cannot use DATABASE_URL: \(error)")
            return
        }
        defer { connection.close() }
        var needsListen = true
        var connectCount = 0
        var failing = false
        // The followers whose channel is LISTENed on the current connection.
        var live: [any ChannelFollower] = []
        while !state.withLock({ $0.stopped }) {
            do {
                if needsListen {
                    try connection.listen(JobQueue.finishedJobsChannel)
                    let followers = state.withLock { state -> [any ChannelFollower] in
                        state.pendingFollowers = []
                        return state.followers
                    }
                    for follower in followers { try connection.listen(follower.channel) }
                    live = followers
                    needsListen = false
                    if failing { logger.info("job waiter: listening again") }
                    failing = false
                    wakeAllIfReconnected(connection, seen: &connectCount, followers: live)
                }
                let added = state.withLock { state -> [any ChannelFollower] in
                    defer { state.pendingFollowers = [] }
                    return state.pendingFollowers
                }
                for follower in added {
                    try connection.listen(follower.channel)
                    live.append(follower)
                    follower.listening(true)
                }
                try sendWakeup(on: connection)
                let notes = try connection.waitForNotifications(timeout: .seconds(60), wakeDescriptor: doorbell.descriptor)
                doorbell.drain()
                deliver(notes, followers: live)
                // The wait reconnects (and LISTENs again) by itself when it finds the connection closed.
                wakeAllIfReconnected(connection, seen: &connectCount, followers: live)
            } catch {
                // Logged once per outage, not on every retry.
                if !failing { logger.warning("job waiter: listener connection failed: \(error); retrying every second") }
                failing = true
                for follower in live { follower.listening(false) }
                live = []
                connection.close()
                needsListen = true
                _ = state.wait(until: { $0.stopped }, timeout: .seconds(1)) { _ in }
            }
        }
    }

    /// After any (re)connection, notifications may have been missed: every waiter re-reads and
    /// every follower hears `listening(true)`.
    private func wakeAllIfReconnected(_ connection: PostgresConnection, seen: inout Int, followers: [any ChannelFollower]) {
        guard connection.connectCount != seen else { return }
        if seen > 0 { logger.info("job waiter: listener reconnected; waking every waiter") }
        seen = connection.connectCount
        for follower in followers { follower.listening(true) }
        wakeAll()
    }

    private func deliver(_ notes: [PostgresNotification], followers: [any ChannelFollower]) {
        var ids = Set<Int>()
        for note in notes where note.channel == JobQueue.finishedJobsChannel {
            for part in note.payload.split(separator: ",") {
                if let id = Int(part) { ids.insert(id) }
            }
        }
        for follower in followers where notes.contains(where: { $0.channel == follower.channel }) {
            follower.changed()
        }
        guard !ids.isEmpty else { return }
        state.withLock { state in
            for (token, id) in state.registered where ids.contains(id) { state.woken.insert(token) }
        }
    }

    private func wakeAll() {
        state.withLock { state in state.woken.formUnion(state.registered.keys) }
    }
}
