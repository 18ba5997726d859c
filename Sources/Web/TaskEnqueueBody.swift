import AppSupport
import Jobs

/// The body of `POST /api/tasks`: `{"task", "args", "queue", "priority", "delay_seconds",
/// "unique_key"}`, only `task` required. Every problem is a 400 naming its field (422 for an
/// unknown task is decided later, against the registry).
struct TaskEnqueueBody {
    static let fields: Set<String> = ["task", "args", "queue", "priority", "delay_seconds", "unique_key"]
    /// The longest delay accepted, in seconds (one year, as `EnqueueRequest` allows).
    static let maxDelaySeconds = 366.0 * 86_400

    var request: EnqueueRequest

    /// Parses and checks the body's shape and bounds.
    init(bytes: [UInt8]) throws {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw APIError.badRequest(field: "body", "is not valid JSON: \(JSONValue.reason(error))")
        }
        guard case .object(let members) = document else {
            throw APIError.badRequest(field: "body", "must be a JSON object")
        }
        if let unknown = members.keys.sorted().first(where: { !TaskEnqueueBody.fields.contains($0) }) {
            throw APIError.badRequest(field: unknown, "is not a known field (use task, args, queue, priority, delay_seconds, unique_key)")
        }
        guard case .string(let task)? = members["task"], !task.isEmpty else {
            throw APIError.badRequest(field: "task", "is required: a task name (string)")
        }
        var request = EnqueueRequest(task: task)
        switch members["args"] {
        case nil, .null?: break
        case .object(let args)?: request.args = .object(args)
        default: throw APIError.badRequest(field: "args", "must be a JSON object")
        }
        switch members["queue"] {
        case nil, .null?: break
        case .string(let queue)?:
            guard !queue.isEmpty, queue.count <= 64 else { throw APIError.badRequest(field: "queue", "must be 1 to 64 characters") }
            request.queue = queue
        default: throw APIError.badRequest(field: "queue", "must be a string")
        }
        if let priority = members["priority"], priority != .null {
            guard let value = TaskEnqueueBody.integer(priority), (-1_000_000...1_000_000).contains(value) else {
                throw APIError.badRequest(field: "priority", "must be an integer between -1000000 and 1000000")
            }
            request.priority = value
        }
        if let delay = members["delay_seconds"], delay != .null {
            let seconds: Double
            switch delay {
            case .int(let value): seconds = Double(value)
            case .double(let value): seconds = value
            default: throw APIError.badRequest(field: "delay_seconds", "must be a number of seconds")
            }
            guard seconds.isFinite, seconds >= 0, seconds <= TaskEnqueueBody.maxDelaySeconds else {
                throw APIError.badRequest(field: "delay_seconds", "must be between 0 and \(Int(TaskEnqueueBody.maxDelaySeconds)) (one year)")
            }
            request.delayMilliseconds = Int((seconds * 1000).rounded())
        }
        switch members["unique_key"] {
        case nil, .null?: break
        case .string(let key)?:
            guard !key.isEmpty, key.count <= 200 else { throw APIError.badRequest(field: "unique_key", "must be 1 to 200 characters") }
            request.uniqueKey = key
        default: throw APIError.badRequest(field: "unique_key", "must be a string")
        }
        self.request = request
    }

    /// An integer, also from a JSON number written with a fraction of zero (`3.0`).
    static func integer(_ value: JSONValue) -> Int? {
        switch value {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 1e15: return Int(value)
        default: return nil
        }
    }
}
