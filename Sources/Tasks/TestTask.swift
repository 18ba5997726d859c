import AppSupport
import Jobs

/// `test_task`: exercises the queue end to end. Args: `message` (echoed as `{"message": ...}`),
/// `sleep_ms`, `fail_times` (fail the first N attempts), `fail_permanently` (fail without
/// retry), `progress_steps` (report progress in that many steps, spread over `sleep_ms`).
public enum TestTask {
    /// The task's registration.
    public static let definition = TaskDefinition(
        name: "test_task", summary: "Exercise the queue: echo a message, sleep, fail on demand, report progress.",
        maxAttempts: 3, timeoutSeconds: 300, run: run)

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func run(_ context: JobContext) throws -> JSONValue {
        let args = context.args
        let message = try string(args, "message")
        let sleepMs = try integer(args, "sleep_ms", range: 0...3_600_000) ?? 0
        let failTimes = try integer(args, "fail_times", range: 0...100) ?? 0
        let steps = try integer(args, "progress_steps", range: 0...100_000) ?? 0
        let permanently = try boolean(args, "fail_permanently") ?? false
        if permanently { throw PermanentFailure("failed permanently, as asked by fail_permanently") }
        if context.attempt <= failTimes {
            throw Failure(description: "attempt \(context.attempt) failed, as asked by fail_times=\(failTimes)")
        }
        if steps > 0 {
            context.progress(0, of: steps, "starting")
            for step in 1...steps {
                try context.sleep(.milliseconds(sleepMs / steps))
                context.progress(step, of: steps, "step \(step) of \(steps)")
            }
        } else if sleepMs > 0 {
            try context.sleep(.milliseconds(sleepMs))
        } else {
            try context.checkpoint()
        }
        return ["message": message.map { .string($0) } ?? .null, "attempt": .int(context.attempt)]
    }

    static func string(_ args: JSONValue, _ name: String) throws -> String? {
        switch args[name] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw PermanentFailure("\(name) must be a string")
        }
    }

    static func integer(_ args: JSONValue, _ name: String, range: ClosedRange<Int>) throws -> Int? {
        switch args[name] {
        case nil, .null?: return nil
        case .int(let value)? where range.contains(value): return value
        default: throw PermanentFailure("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
    }

    static func boolean(_ args: JSONValue, _ name: String) throws -> Bool? {
        switch args[name] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw PermanentFailure("\(name) must be true or false")
        }
    }
}
