import FoundationEssentials
import Jobs
import Postgres
import Scheduling

/// `GET /admin/schedules` (cron in words, next run, last run and outcome, runs so far, paused),
/// `GET /admin/schedules/{name}` (its recent runs), and the forms `POST
/// /admin/schedules/{name}/pause|resume` (back to the list, or to the schedule's page with
/// `back=schedule`) and `POST /admin/schedules/{name}/run` (enqueues the task like `POST
/// /api/schedules/{name}/run` and goes to the new job's page).
enum SchedulePages {
    /// Runs shown on a schedule's page.
    static let runsShown = 50

    static func register(in router: inout Router, services: WebServices) {
        let store = ScheduleStore(registry: services.registry)
        let queue = services.queue
        router.add("GET", "/admin/schedules") { request, _, context in
            let session = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            let now = Date()
            let schedules = try store.list(on: context.database())
            return session.page(
                "schedules", title: "Schedules", section: "schedules",
                ["schedules": schedules.map { row($0, now: now).compactMapValues { $0 } }, "empty": schedules.isEmpty, "notice": AdminNotice.text(request)])
        }
        router.add("GET", "/admin/schedules/{name}") { request, parameters, context in
            let session = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            let database = try context.database()
            let schedule = try find(parameters, store: store, on: database)
            let runs = try store.runs(of: schedule.name, limit: runsShown, on: database)
            var page: [String: Any?] = row(schedule, now: Date())
            page["args"] = AdminFormat.prettyJSON(schedule.definition.args)
            page["has_description"] = !schedule.definition.description.isEmpty
            page["runs"] = runs.map(runRow)
            page["no_runs"] = runs.isEmpty
            page["notice"] = AdminNotice.text(request)
            return session.page("schedule", title: "Schedule \(schedule.name)", section: "schedules", page)
        }
        for (action, paused) in [("pause", true), ("resume", false)] {
            router.add("POST", "/admin/schedules/{name}/\(action)") { request, parameters, context in
                let (_, form) = try AdminAuth.requireForm(request, context, policy: services.adminPolicy)
                let database = try context.database()
                let name = try find(parameters, store: store, on: database).name
                try store.setPaused(name, paused, on: database)
                // Back to the page the form was on: the schedule's own (`back=schedule`) or the list.
                let page = form["back"] == "schedule" ? "/admin/schedules/\(name)" : "/admin/schedules"
                return .redirect(to: page + "?notice=\(paused ? "paused" : "resumed")")
            }
        }
        router.add("POST", "/admin/schedules/{name}/run") { request, parameters, context in
            _ = try AdminAuth.requireForm(request, context, policy: services.adminPolicy)
            let database = try context.database()
            let schedule = try find(parameters, store: store, on: database)
            let enqueueRequest = EnqueueRequest(
                task: schedule.definition.task, args: schedule.definition.args, queue: ScheduleRoutes.runNowQueue)
            do {
                let enqueued = try queue.enqueue(enqueueRequest, on: database)
                return .redirect(to: "/admin/tasks/\(enqueued.id)?notice=run_now")
            } catch let error as EnqueueError {
                throw AdminError(status: 409, code: "unknown_task", message: "Schedule \(schedule.name) cannot run here: \(error)")
            }
        }
    }

    /// The schedule the path names, or a 404 page.
    static func find(_ parameters: RouteParameters, store: ScheduleStore, on database: PostgresConnection) throws -> Schedule {
        let name = parameters["name"] ?? ""
        do {
            return try store.schedule(name, on: database)
        } catch is ScheduleError {
            throw AdminError.notFound("There is no schedule named \(name).")
        }
    }

    /// A schedule's values for the list and its page. Next run in the server's time zone (as
    /// cron runs it), shown in UTC like every time.
    static func row(_ schedule: Schedule, now: Date) -> [String: Any?] {
        let expression = try? CronExpression(schedule.definition.cron)
        let next = schedule.paused ? nil : expression?.nextRun(after: now, in: .current)
        let last = schedule.lastRun
        return [
            "name": schedule.name, "href": "/admin/schedules/\(schedule.name)", "cron": schedule.definition.cron,
            "cron_words": expression?.words ?? "(not a valid cron expression)", "task": schedule.definition.task,
            "description": schedule.definition.description, "paused": schedule.paused, "runs": schedule.runs,
            "next_run": AdminFormat.time(next), "next_in": next.map { AdminFormat.ago($0, now: now) },
            "last_run": last.map(runRow), "last_success": AdminFormat.time(schedule.lastSuccessAt),
            "last_failed": last?.state == "failed",
        ]
    }

    static func runRow(_ run: ScheduleRun) -> [String: Any] {
        var row: [String: Any] = [
            "slot": run.slot.description, "state": run.state, "host": run.host, "pid": run.pid,
            "started": AdminFormat.time(run.startedAt) ?? "", "finished": AdminFormat.time(run.finishedAt) ?? "",
            "reason": run.reason ?? "",
        ]
        if let job = run.jobID {
            row["job_id"] = job
            row["job_href"] = "/admin/tasks/\(job)"
        }
        return row
    }
}
