import AppSupport

/// How one attempt ended, as written by the completion batch.
struct Completion: Sendable {
    var id: Int
    var attempt: Int
    var state: JobState
    /// `succeeded`, `failed`, `retrying`, `cancelled` or `timed_out` (job_attempts.outcome).
    var outcome: String
    var result: JSONValue?
    var error: String?
    var retryInMilliseconds: Int

    var json: JSONValue {
        [
            "id": .int(id), "attempt": .int(attempt), "state": .string(state.rawValue), "outcome": .string(outcome),
            "result": result ?? .null, "error": error.map { .string($0) } ?? .null, "retry_in_ms": .int(retryInMilliseconds),
        ]
    }

    /// Decides the outcome of an attempt from what the task did.
    static func decide(
        id: Int, attempt: Int, maxAttempts: Int, timeoutSeconds: Int, policy: RetryPolicy, result: Result<JSONValue, any Error>
    ) -> Completion? {
        func failure(_ message: String, outcome: String, retryable: Bool) -> Completion {
            if retryable && attempt < maxAttempts {
                return Completion(
                    id: id, attempt: attempt, state: .retrying, outcome: outcome, result: nil, error: message,
                    retryInMilliseconds: policy.delayMilliseconds(afterAttempt: attempt))
            }
            return Completion(
                id: id, attempt: attempt, state: .failed, outcome: outcome == "retrying" ? "failed" : outcome, result: nil,
                error: message, retryInMilliseconds: 0)
        }
        switch result {
        case .success(let value):
            return Completion(id: id, attempt: attempt, state: .succeeded, outcome: "succeeded", result: value, error: nil, retryInMilliseconds: 0)
        case .failure(let stopped as JobStopped):
            switch stopped.reason {
            case .cancelled, .none:
                return Completion(
                    id: id, attempt: attempt, state: .cancelled, outcome: "cancelled", result: nil, error: "cancelled while running",
                    retryInMilliseconds: 0)
            case .timedOut:
                return failure("timed out after \(timeoutSeconds) s", outcome: "timed_out", retryable: true)
            case .shutdown:
                return nil  // handed back, not a completion
            }
        case .failure(let permanent as PermanentFailure):
            return failure(permanent.message, outcome: "failed", retryable: false)
        case .failure(let error):
            return failure(String(describing: error), outcome: "retrying", retryable: true)
        }
    }
}
