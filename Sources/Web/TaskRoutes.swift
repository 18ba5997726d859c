import AppSupport
import Jobs

/// The task endpoints, all behind a token: `POST /api/tasks` (enqueue), `GET /api/tasks`
/// (list, newest first, cursor-paginated), `GET /api/tasks/{id}` (one job, with `?wait=SECONDS`
/// answering as soon as it finishes) and `POST /api/tasks/{id}/cancel`.
enum TaskRoutes {
    /// The longest `wait` a request may ask for, in seconds.
    static let maxWaitSeconds = 60.0

    static func register(in router: inout Router, services: WebServices) {
        let queue = services.queue
        router.add("POST", "/api/tasks") { request, _, context in
            _ = try Authentication.requireToken(request, context, tokens: services.tokens)
            return try enqueue(request, queue: queue, context: context)
        }
        router.add("GET", "/api/tasks") { request, _, context in
            _ = try Authentication.requireToken(request, context, tokens: services.tokens)
            return try list(request, queue: queue, context: context)
        }
        router.add("GET", "/api/tasks/{id}") { request, parameters, context in
            _ = try Authentication.requireToken(request, context, tokens: services.tokens)
            return try show(request, id: try jobID(parameters["id"]), queue: queue, waiter: services.waiter, context: context)
        }
        router.add("POST", "/api/tasks/{id}/cancel") { request, parameters, context in
            _ = try Authentication.requireToken(request, context, tokens: services.tokens)
            return try cancel(id: try jobID(parameters["id"]), queue: queue, context: context)
        }
    }

    /// 202 with the new job; 200 with the job already holding the unique key (`X-Job-Created`
    /// says which).
    static func enqueue(_ request: WebRequest, queue: JobQueue, context: RequestContext) throws -> WebResponse {
        guard request.contentType == "application/json" else { throw APIError.unsupportedMediaType(request.contentType) }
        let body = try TaskEnqueueBody(bytes: request.body)
        guard queue.registry[body.request.task] != nil else {
            throw APIError.unknownTask(body.request.task, known: queue.registry.all.map(\.name))
        }
        let database = try context.database()
        let enqueued: (job: Job, created: Bool)
        do {
            enqueued = try queue.enqueueJob(body.request, on: database)
        } catch let error as EnqueueError {
            switch error {
            case .unknownTask(let name): throw APIError.unknownTask(name, known: queue.registry.all.map(\.name))
            case .invalid(let field, let problem): throw APIError.badRequest(field: field, problem)
            }
        }
        let job = enqueued.job
        var response = WebResponse.json(bytes: job.jsonBytes, status: enqueued.created ? 202 : 200)
        response.headers.append(("Location", "/api/tasks/\(job.id)"))
        response.headers.append(("X-Job-Created", enqueued.created ? "true" : "false"))
        return response
    }

    /// `{"items": [...], "next_before": id or null}`, newest first.
    static func list(_ request: WebRequest, queue: JobQueue, context: RequestContext) throws -> WebResponse {
        let query = QueryParameters(request)
        var state: JobState?
        if let text = try query.optional("state") {
            guard let parsed = JobState(rawValue: text) else {
                throw APIError.badRequest(
                    field: "state", "must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            state = parsed
        }
        var task: String?
        if let text = try query.optional("task") {
            guard text.count <= 200 else { throw APIError.badRequest(field: "task", "must be at most 200 characters") }
            task = text
        }
        let paging = try ListPaging(query)
        // One row more than asked tells whether another page exists.
        let jobs = try queue.list(state: state, task: task, before: paging.before, limit: paging.limit + 1, on: context.database())
        let page = jobs.prefix(paging.limit)
        var body: [UInt8] = Array(#"{"items":["#.utf8)
        body.reserveCapacity(512 * page.count + 64)
        for (index, job) in page.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            job.writeJSON(into: &body)
        }
        body.append(contentsOf: #"],"next_before":"#.utf8)
        if jobs.count > paging.limit { JSONValue.writeInteger(page.last!.id, into: &body) } else { body.append(contentsOf: "null".utf8) }
        body.append(UInt8(ascii: "}"))
        return .json(bytes: body)
    }

    /// One job; with `wait`, once it has finished or the time is up (200 either way).
    static func show(_ request: WebRequest, id: Int, queue: JobQueue, waiter: JobWaiter?, context: RequestContext) throws -> WebResponse {
        let database = try context.database()
        guard let text = try QueryParameters(request).optional("wait") else {
            guard let job = try queue.job(id, on: database) else { throw APIError.jobNotFound(id) }
            return .json(bytes: job.jsonBytes)
        }
        guard let seconds = Double(text), seconds.isFinite, seconds > 0, seconds <= maxWaitSeconds else {
            throw APIError.badRequest(field: "wait", "must be a number of seconds greater than 0 and at most \(Int(maxWaitSeconds))")
        }
        let timeout = Duration.milliseconds(Int64((seconds * 1000).rounded(.up)))
        let read = { try queue.job(id, on: database) }
        let outcome: JobWaiter.Outcome
        if let waiter {
            outcome = try waiter.wait(for: id, timeout: timeout, read: read)
        } else {
            outcome = JobWaiter.Outcome(job: try read(), requested: timeout, granted: .zero, limited: true)
        }
        guard let job = outcome.job else { throw APIError.jobNotFound(id) }
        var body = job.json
        if case .object(var members) = body {
            members["wait"] = [
                "requested": number(seconds), "granted": outcome.limited ? 0 : number(seconds), "limited": .bool(outcome.limited),
            ]
            body = .object(members)
        }
        var response = WebResponse.json(body)
        if outcome.limited { response.headers.append(("X-Wait-Limited", "true")) }
        return response
    }

    /// 200 with the cancelled job when it was waiting; 202 when it is running and its worker was
    /// told to stop it; 409 when it had already finished; 404 when unknown.
    static func cancel(id: Int, queue: JobQueue, context: RequestContext) throws -> WebResponse {
        let database = try context.database()
        let outcome = try queue.cancel(id, on: database)
        switch outcome {
        case .notFound: throw APIError.jobNotFound(id)
        case .alreadyFinished(let state): throw APIError.jobConflict(id, state: state)
        case .cancelled, .stopRequested:
            guard let job = try queue.job(id, on: database) else { throw APIError.jobNotFound(id) }
            return .json(job.json, status: outcome == .cancelled ? 200 : 202)
        }
    }

    /// The `{id}` path segment: a positive integer, else 400 naming `id`.
    static func jobID(_ text: String?) throws -> Int {
        guard let text, let id = positiveInteger(text) else { throw APIError.badRequest(field: "id", "must be a positive integer") }
        return id
    }

    /// Digits only (no sign, no spaces), at least 1, within `Int`.
    static func positiveInteger(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(text), value > 0 else { return nil }
        return value
    }

    private static func number(_ seconds: Double) -> JSONValue {
        seconds.rounded() == seconds ? .int(Int(seconds)) : .double(seconds)
    }
}
