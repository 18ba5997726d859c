import AppSupport
import FoundationEssentials

/// What to put on the queue.
public struct EnqueueRequest: Sendable, Equatable {
    /// A registered task name.
    public var task: String
    /// The task's arguments (a JSON object).
    public var args: JSONValue
    /// The queue (default `default`).
    public var queue: String
    /// Higher runs first (default 0).
    public var priority: Int
    /// Run no sooner than this many milliseconds from now (default 0).
    public var delayMilliseconds: Int
    /// Run no sooner than this time (instead of a delay).
    public var runAt: Date?
    /// Attempts before the job is failed (default: the task's).
    public var maxAttempts: Int?
    /// Per-attempt time limit in seconds (default: the task's).
    public var timeoutSeconds: Int?
    /// While a job with this key is waiting or running, enqueueing returns it instead.
    public var uniqueKey: String?

    /// Creates a request.
    public init(
        task: String, args: JSONValue = [:], queue: String = "default", priority: Int = 0, delayMilliseconds: Int = 0,
        maxAttempts: Int? = nil, timeoutSeconds: Int? = nil, uniqueKey: String? = nil, runAt: Date? = nil
    ) {
        self.runAt = runAt
        self.task = task
        self.args = args
        self.queue = queue
        self.priority = priority
        self.delayMilliseconds = delayMilliseconds
        self.maxAttempts = maxAttempts
        self.timeoutSeconds = timeoutSeconds
        self.uniqueKey = uniqueKey
    }

    /// Checks names and bounds against `registry`, filling the task's defaults.
    public func validated(against registry: TaskRegistry) throws(EnqueueError) -> EnqueueRequest {
        guard let definition = registry[task] else { throw .unknownTask(task) }
        guard case .object = args else { throw .invalid(field: "args", "must be a JSON object") }
        guard !queue.isEmpty, queue.count <= 64 else { throw .invalid(field: "queue", "must be 1 to 64 characters") }
        guard (-1_000_000...1_000_000).contains(priority) else { throw .invalid(field: "priority", "must be between -1000000 and 1000000") }
        guard delayMilliseconds >= 0, delayMilliseconds <= 366 * 86_400_000 else {
            throw .invalid(field: "delay_seconds", "must be between 0 and one year")
        }
        if let maxAttempts, !(1...100).contains(maxAttempts) { throw .invalid(field: "max_attempts", "must be between 1 and 100") }
        if let timeoutSeconds, !(1...86_400).contains(timeoutSeconds) {
            throw .invalid(field: "timeout_seconds", "must be between 1 and 86400")
        }
        if let uniqueKey, uniqueKey.isEmpty || uniqueKey.count > 200 {
            throw .invalid(field: "unique_key", "must be 1 to 200 characters")
        }
        // Postgres text and jsonb cannot hold U+0000: refuse it here rather than fail in the database.
        if queue.contains("\u{0}") { throw .invalid(field: "queue", "must not contain the character U+0000") }
        if uniqueKey?.contains("\u{0}") == true { throw .invalid(field: "unique_key", "must not contain the character U+0000") }
        if args.containsNUL { throw .invalid(field: "args", "must not contain the character U+0000 (in a key or a string)") }
        var filled = self
        filled.maxAttempts = maxAttempts ?? definition.maxAttempts
        filled.timeoutSeconds = timeoutSeconds ?? definition.timeoutSeconds
        return filled
    }

    /// Appends the request as one element of the batch-insert JSON document (the fixed keys of
    /// `jsonb_to_recordset` in `JobQueries.insertBatch`), without building a dictionary: batches
    /// of 100,000 jobs go through here.
    func appendJSON(to out: inout String) {
        out += #"{"task":"#
        out += JSONValue.string(task).serialized
        out += #","args":"#
        out += args.serialized
        out += #","queue":"#
        out += JSONValue.string(queue).serialized
        out += #","priority":\#(priority),"delay_ms":\#(delayMilliseconds)"#
        if let maxAttempts { out += #","max_attempts":\#(maxAttempts)"# }
        if let timeoutSeconds { out += #","timeout_seconds":\#(timeoutSeconds)"# }
        if let uniqueKey { out += #","unique_key":"# + JSONValue.string(uniqueKey).serialized }
        if let runAt { out += #","run_at":""# + Timestamps.iso8601(runAt) + "\"" }
        out += "}"
    }

    /// A JSON array of requests for `JobQueries.insertBatch`.
    static func batchDocument(_ requests: some Collection<EnqueueRequest>) -> String {
        var out = "["
        out.reserveCapacity(requests.count * 100)
        for (index, request) in requests.enumerated() {
            if index > 0 { out += "," }
            request.appendJSON(to: &out)
        }
        return out + "]"
    }

}

/// Why a job could not be enqueued.
public enum EnqueueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No task is registered under this name.
    case unknownTask(String)
    /// A field is out of bounds.
    case invalid(field: String, String)

    public var description: String {
        switch self {
        case .unknownTask(let name): return "unknown task \"\(name)\" (TaskRunner tasks lists them)"
        case .invalid(let field, let problem): return "\(field): \(problem)"
        }
    }
}

extension JSONValue {
    /// True when a string or a key anywhere inside holds U+0000, which jsonb refuses.
    var containsNUL: Bool {
        switch self {
        case .string(let text): return text.contains("\u{0}")
        case .array(let items): return items.contains { $0.containsNUL }
        case .object(let members): return members.contains { $0.key.contains("\u{0}") || $0.value.containsNUL }
        default: return false
        }
    }
}
