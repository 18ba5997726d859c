import AppSupport
import Jobs

/// The job actions, every one a POST form with the session's CSRF token:
/// `POST /admin/tasks/{id}/retry` (a failed or cancelled job: a copy is enqueued, 303 to it),
/// `POST /admin/tasks/{id}/cancel` (a job that has not finished, 303 back to it), and
/// `GET`/`POST /admin/tasks/new` (enqueue any registered task with JSON args; a bad field shows
/// the form again with the error, 400; success is a 303 to the new job).
enum TaskActions {
    static func register(in router: inout Router, services: WebServices) {
        let queue = services.queue
        router.add("POST", "/admin/tasks/{id}/retry") { request, parameters, context in
            _ = try AdminAuth.requireForm(request, context, policy: services.adminPolicy)
            let id = try TaskPages.jobID(parameters)
            switch try queue.retry(id, on: context.database()) {
            case .enqueued(let job): return .redirect(to: "/admin/tasks/\(job.id)?notice=retried")
            case .notFound: throw AdminError.notFound("There is no job \(id).")
            case .notRetryable(let state):
                throw AdminError(status: 409, code: "conflict", message: "Job \(id) is \(state.rawValue): only failed or cancelled jobs are retried.")
            case .unknownTask(let task):
                throw AdminError(status: 409, code: "unknown_task", message: "Job \(id)'s task \(task) is not registered in this version.")
            }
        }
        router.add("POST", "/admin/tasks/{id}/cancel") { request, parameters, context in
            _ = try AdminAuth.requireForm(request, context, policy: services.adminPolicy)
            let id = try TaskPages.jobID(parameters)
            switch try queue.cancel(id, on: context.database()) {
            case .cancelled: return .redirect(to: "/admin/tasks/\(id)?notice=cancelled")
            case .stopRequested: return .redirect(to: "/admin/tasks/\(id)?notice=stop_requested")
            case .notFound: throw AdminError.notFound("There is no job \(id).")
            case .alreadyFinished(let state):
                throw AdminError(status: 409, code: "conflict", message: "Job \(id) has already finished (\(state.rawValue)).")
            }
        }
        router.add("GET", "/admin/tasks/new") { request, _, context in
            let session = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            var form = NewJobForm()
            if let task = try AdminQuery(request).text("task") { form.task = task }
            return form.page(session: session, registry: queue.registry)
        }
        router.add("POST", "/admin/tasks/new") { request, _, context in
            let (session, body) = try AdminAuth.requireForm(request, context, policy: services.adminPolicy)
            let form = NewJobForm(body)
            let enqueueRequest: EnqueueRequest
            do {
                enqueueRequest = try form.request()
            } catch let problem as NewJobForm.Problem {
                return form.page(session: session, registry: queue.registry, problem: problem)
            }
            do {
                let job = try queue.enqueueJob(enqueueRequest, on: context.database()).job
                // The new job's page is the confirmation (its URL ends with the id).
                return .redirect(to: "/admin/tasks/\(job.id)")
            } catch let error as EnqueueError {
                switch error {
                case .unknownTask(let name):
                    return form.page(session: session, registry: queue.registry, problem: .init(field: "task", message: "no task is registered as \(name)"))
                case .invalid(let field, let message):
                    return form.page(session: session, registry: queue.registry, problem: .init(field: field, message: message))
                }
            }
        }
    }
}

/// The fields of the enqueue form, as typed (so a refused form comes back as it was sent).
struct NewJobForm {
    var task = ""
    var args = "{}"
    var queue = "default"
    var priority = "0"
    var delay = "0"

    /// A refused field and why.
    struct Problem: Error {
        var field: String
        var message: String
    }

    init() {}

    init(_ body: FormBody) {
        task = body["task"] ?? ""
        args = body["args"] ?? ""
        queue = body["queue"] ?? ""
        priority = body["priority"] ?? ""
        delay = body["delay_seconds"] ?? ""
    }

    /// The enqueue request, or the first problem.
    func request() throws(Problem) -> EnqueueRequest {
        guard !task.isEmpty else { throw Problem(field: "task", message: "choose a task") }
        let argsText = args.trimmingCharacters()
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(argsText.isEmpty ? "{}" : argsText)
        } catch {
            throw Problem(field: "args", message: "is not valid JSON: \(JSONValue.reason(error)); write an object such as {\"message\": \"hi\"}")
        }
        guard case .object = parsed else { throw Problem(field: "args", message: "must be a JSON object such as {\"message\": \"hi\"}") }
        let queueName = queue.trimmingCharacters()
        guard let priorityValue = Int(priority.trimmingCharacters().isEmpty ? "0" : priority.trimmingCharacters()) else {
            throw Problem(field: "priority", message: "must be a whole number (higher runs first)")
        }
        let delayText = delay.trimmingCharacters()
        guard let seconds = Double(delayText.isEmpty ? "0" : delayText), seconds.isFinite, seconds >= 0, seconds <= 366 * 86_400 else {
            throw Problem(field: "delay_seconds", message: "must be a number of seconds from 0 to one year")
        }
        return EnqueueRequest(
            task: task, args: parsed, queue: queueName.isEmpty ? "default" : queueName, priority: priorityValue,
            delayMilliseconds: Int((seconds * 1000).rounded()))
    }

    /// The form page: 200, or 400 with `problem` shown above the form and at its field.
    func page(session: AdminSignedIn, registry: TaskRegistry, problem: Problem? = nil) -> WebResponse {
        var names = registry.all.map { ["name": $0.name, "summary": $0.summary, "selected": $0.name == task] as [String: Any] }
        if !task.isEmpty && registry[task] == nil { names.append(["name": task, "summary": "not registered", "selected": true]) }
        return session.page(
            "task_new", title: "Enqueue a task", section: "tasks",
            [
                "tasks": names, "args": args, "queue": queue, "priority": priority, "delay_seconds": delay,
                "problem": problem.map { ["field": $0.field, "message": "\($0.field): \($0.message)"] },
                "problem_args": problem?.field == "args", "problem_task": problem?.field == "task",
                "problem_queue": problem?.field == "queue", "problem_priority": problem?.field == "priority",
                "problem_delay": problem?.field == "delay_seconds",
            ], status: problem == nil ? 200 : 400)
    }
}
