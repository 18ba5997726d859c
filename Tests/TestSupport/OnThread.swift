import Foundation

/// Runs blocking work (libpq, curl, process waits) on a new `Thread`, never on Swift's
/// cooperative pool, and resumes the caller with its result.
public func onThread<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
    let result: Result<T, E> = await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: Result(catching: work)) }.start()
    }
    return try result.get()
}

/// A failure in the test harness itself, with a message saying what to look at.
public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Blocking work started on a new `Thread` at once, for a test that watches it while it runs.
/// An `async let` or a detached task would first wait for a cooperative thread, which other
/// tests' blocking work can hold for seconds: long enough for a watcher's deadline to pass
/// before the work has even begun. `value` waits for the result.
public final class StartedThread<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<T, any Error>?  // guarded by `condition`

    public init(_ work: @escaping @Sendable () throws -> T) {
        Thread { [self] in
            let outcome = Result(catching: work)
            condition.lock()
            result = outcome
            condition.broadcast()
            condition.unlock()
        }.start()
    }

    /// The work's result, once it has finished (waited for on a thread of its own).
    public var value: T {
        get async throws { try await onThread { try self.wait() } }
    }

    private func wait() throws -> T {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }
}
