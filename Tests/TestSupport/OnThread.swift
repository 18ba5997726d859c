import Foundation

/// Runs blocking work (libpq, curl, process waits) on a new thread, never on Swift's
/// cooperative pool, and resumes the caller with its result.
///
/// The work runs in the calling task, with that thread as its preferred executor, so it keeps the
/// task's locals: an `#expect` that fails inside it is reported under its test's name.
public func onThread<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
    let executor = ThreadTaskExecutor()
    defer { executor.finish() }
    // `@concurrent`: without it the closure would run wherever the caller runs, ignoring the
    // preference (checked: then it ran on a cooperative thread).
    return try await withTaskExecutorPreference(executor) { @concurrent () async throws(E) -> T in try work() }
}

/// A task executor that runs its jobs on one thread of its own, until `finish()`.
final class ThreadTaskExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []  // guarded by `condition`
    private var finished = false  // guarded by `condition`
    private var exited = false  // guarded by `condition`

    init() {
        let thread = Thread { [self] in run() }
        thread.name = "onThread"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        if exited {
            // A task the work started (it inherits the preference) outlived it: give it a thread.
            condition.unlock()
            Thread { [self] in job.runSynchronously(on: asUnownedTaskExecutor()) }.start()
            return
        }
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once the jobs already enqueued have run.
    func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                exited = true
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// A failure in the test harness itself, with a message saying what to look at.
public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Blocking work started at once on a thread of its own, for a test that watches it while it
/// runs. An `async let` or a detached task would first wait for a cooperative thread, which other
/// tests' blocking work can hold for seconds: long enough for a watcher's deadline to pass
/// before the work has even begun. This task's first job goes straight to its own thread, and it
/// keeps the test's task locals (an `#expect` inside is reported under the test's name).
/// `value` waits for the result.
public struct StartedThread<T: Sendable>: Sendable {
    private let task: Task<T, any Error>

    public init(_ work: @escaping @Sendable () throws -> T) {
        let executor = ThreadTaskExecutor()
        task = Task(executorPreference: executor) { @concurrent () async throws -> T in
            defer { executor.finish() }
            return try work()
        }
    }

    /// The work's result, once it has finished.
    public var value: T {
        get async throws { try await task.value }
    }
}
