import AppSupport
import FoundationEssentials
import Jobs

/// The job pages: `GET /admin/tasks` (filter by state, task and creation time; find by id;
/// older pages by cursor), `GET /admin/tasks/find?id=` (to the job's page), `GET /admin/tasks/{id}`
/// (args, result, every attempt's error, times, worker, a live progress bar) and
/// `GET /admin/tasks/{id}/progress` (the JSON admin.js polls while the job runs).
enum TaskPages {
    static func register(in router: inout Router, services: WebServices) {
        let queue = services.queue
        router.add("GET", "/admin/tasks") { request, _, context in
            let session = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            return try list(request, session: session, queue: queue, context: context)
        }
        router.add("GET", "/admin/tasks/find") { request, _, context in
            let session = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            var filters = AdminFilters(request)
            let id = try filters.read("id") { query in
                guard let id = try query.positive("id") else { throw AdminError.badRequest(field: "id", "give a job id") }
                return id
            }
            guard let id else {
                // The list page again, the id and its problem at the find form.
                return try list(request, session: session, queue: queue, context: context, filters: filters)
            }
            return .redirect(to: "/admin/tasks/\(id)")
        }
        router.add("GET", "/admin/tasks/{id}") { request, parameters, context in
            let session = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            let id = try jobID(parameters)
            let database = try context.database()
            guard let job = try queue.job(id, on: database) else { throw AdminError.notFound("There is no job \(id).") }
            let attempts = try queue.attempts(of: id, on: database)
            var page = detail(job, attempts: attempts)
            page["notice"] = AdminNotice.text(request)
            return session.page("task", title: "Job \(id) · \(job.task)", section: "tasks", page)
        }
        router.add("GET", "/admin/tasks/{id}/progress") { request, parameters, context in
            _ = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            let id = try jobID(parameters)
            guard let job = try queue.job(id, on: context.database()) else { throw AdminError.notFound("There is no job \(id).") }
            var response = WebResponse.json(progressJSON(job))
            response.headers.append(("Cache-Control", "no-store"))
            return response
        }
    }

    /// The list page. A bad filter value shows the page again with the value and its problem at
    /// the field, and no list (400); `filters` may already hold the find form's problem.
    static func list(
        _ request: WebRequest, session: AdminSignedIn, queue: JobQueue, context: RequestContext, filters given: AdminFilters? = nil
    ) throws -> WebResponse {
        var filters = given ?? AdminFilters(request)
        var filter = JobQueue.JobFilter()
        filter.state = try filters.read("state") { query in
            try query.text("state").map { text in
                guard let state = JobState(rawValue: text) else {
                    throw AdminError.badRequest(field: "state", "must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return state
            }
        }
        filter.task = try filters.read("task") { try $0.text("task") }
        filter.from = try filters.read("from") { try $0.time("from") }
        filter.to = try filters.read("to") { try $0.time("to") }
        let before = try filters.read("before") { try $0.positive("before") }
        let listed = filters.valid(["state", "task", "from", "to", "before"])
        var jobs = listed ? try queue.list(filter, before: before, limit: AdminPager.pageSize + 1, on: context.database()) : []
        let more = jobs.count > AdminPager.pageSize
        if more { jobs.removeLast(jobs.count - AdminPager.pageSize) }
        let chosen: [(String, String?)] = [
            ("state", filter.state?.rawValue), ("task", filter.task), ("from", AdminTime.field(filter.from)), ("to", AdminTime.field(filter.to)),
        ]
        var tasks = queue.registry.all.map(\.name)
        if let task = filter.task, !tasks.contains(task) { tasks.append(task) }
        let page: [String: Any?] = [
            "jobs": jobs.map(row), "empty": jobs.isEmpty, "listed": listed,
            "states": JobState.allCases.map { ["name": $0.rawValue, "selected": $0 == filter.state] },
            "tasks": tasks.map { ["name": $0, "selected": $0 == filter.task] },
            "from": filters.shown("from", AdminTime.field(filter.from)), "to": filters.shown("to", AdminTime.field(filter.to)),
            "id": filters.shown("id", nil),
            "filtered": chosen.contains { $0.1 != nil } || !filters.problems.isEmpty,
            "pager": AdminPager.context(path: "/admin/tasks", filters: chosen, before: before, nextBefore: more ? jobs.last?.id : nil),
        ]
        return session.page(
            "tasks", title: "Tasks", section: "tasks",
            page.merging(filters.context(formFields: ["state", "task", "from", "to", "id"])) { mine, _ in mine }, status: filters.status)
    }

    /// One row of a job table.
    static func row(_ job: Job) -> [String: Any] {
        [
            "id": job.id, "task": job.task, "state": job.state.rawValue, "queue": job.queue, "priority": job.priority,
            "attempts": "\(job.attempts)/\(job.maxAttempts)", "created": AdminFormat.time(job.createdAt) ?? "",
            "finished": AdminFormat.time(job.finishedAt) ?? "", "href": "/admin/tasks/\(job.id)",
            "args": argsPreview(job.args),
        ]
    }

    /// The args on one line, cut at 80 characters.
    static func argsPreview(_ args: JSONValue) -> String {
        let text = AdminFormat.compactJSON(args)
        return text.count > 80 ? String(text.prefix(79)) + "…" : text
    }

    /// The job page's values.
    static func detail(_ job: Job, attempts: [JobQueue.Attempt]) -> [String: Any?] {
        [
            "id": job.id, "task": job.task, "state": job.state.rawValue, "queue": job.queue, "priority": job.priority,
            "attempts_text": "\(job.attempts) of \(job.maxAttempts)", "unique_key": job.uniqueKey, "worker": job.worker,
            "run_at": AdminFormat.time(job.runAt), "created": AdminFormat.time(job.createdAt), "started": AdminFormat.time(job.startedAt),
            "finished": AdminFormat.time(job.finishedAt), "cancel_requested": job.cancelRequested,
            "args": AdminFormat.prettyJSON(job.args), "result": job.result.map { AdminFormat.prettyJSON($0) }, "error": job.error,
            "progress": progress(job),
            "history": attempts.reversed().map { attempt -> [String: Any] in
                [
                    "attempt": attempt.attempt, "worker": attempt.worker ?? "", "started": AdminFormat.time(attempt.startedAt) ?? "",
                    "finished": AdminFormat.time(attempt.finishedAt) ?? "", "outcome": attempt.outcome, "error": attempt.error ?? "",
                ]
            },
            "has_history": !attempts.isEmpty,
            "can_retry": job.state == .failed || job.state == .cancelled,
            "can_cancel": !job.state.isFinished && !job.cancelRequested,
        ]
    }

    /// The progress bar's values: shown when the job reported progress or is still going.
    static func progress(_ job: Job) -> [String: Any]? {
        guard job.progressTotal != nil || !job.state.isFinished else { return nil }
        var values: [String: Any] = [
            "url": "/admin/tasks/\(job.id)/progress", "current": job.progressCurrent ?? 0, "total": max(job.progressTotal ?? 0, 0),
            "text": progressText(job),
        ]
        if job.progressTotal == nil || job.progressTotal == 0 { values["indeterminate"] = true }
        return values
    }

    static func progressText(_ job: Job) -> String {
        var text = job.progressTotal.map { "\(job.progressCurrent ?? 0) of \($0)" } ?? (job.state == .running ? "running" : job.state.rawValue)
        if let message = job.progressMessage, !message.isEmpty { text += " · " + message }
        return text
    }

    /// `{"id", "state", "finished", "finished_at", "current", "total", "message", "text"}`
    /// (`finished_at` as the page writes times).
    static func progressJSON(_ job: Job) -> JSONValue {
        [
            "id": .int(job.id), "state": .string(job.state.rawValue), "finished": .bool(job.state.isFinished),
            "finished_at": AdminFormat.time(job.finishedAt).map { .string($0) } ?? .null,
            "current": job.progressCurrent.map { .int($0) } ?? .null, "total": job.progressTotal.map { .int($0) } ?? .null,
            "message": job.progressMessage.map { .string($0) } ?? .null, "text": .string(progressText(job)),
        ]
    }

    /// The `{id}` of the path, or a 404 (an admin page path that names no job).
    static func jobID(_ parameters: RouteParameters) throws -> Int {
        guard let text = parameters["id"], let id = TaskRoutes.positiveInteger(text) else {
            throw AdminError.notFound("There is no job \(parameters["id"] ?? "").")
        }
        return id
    }
}

/// One-line confirmations after a form, chosen by a fixed code in the redirect's query
/// (`?notice=cancelled`): the text never comes from the request.
enum AdminNotice {
    static let messages: [String: String] = [
        "cancelled": "The job was cancelled.",
        "stop_requested": "The job's worker was asked to stop it; it ends cancelled at its next checkpoint.",
        "retried": "A copy of the job was enqueued: this is the new job.",
        "paused": "The schedule is paused: cron still calls it, and its runs are skipped.",
        "resumed": "The schedule runs again at its times.",
        "run_now": "The schedule's task was enqueued now: this is its job.",
        "export_started": "The export was enqueued. It appears below once it starts, and its file once it is written.",
    ]

    /// The message for the request's `notice`, if it is a known code.
    static func text(_ request: WebRequest) -> String? {
        request.query["notice"].flatMap { messages[$0] }
    }
}
