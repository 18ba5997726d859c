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
