import AppSupport
import FoundationEssentials
import Jobs
import Postgres
import Scheduling

/// The schedules over HTTP (token): `GET /api/schedules?limit=&after=` lists them by name, a page
/// at a time (`{"items": [...], "next_after": name or null}`), with cron, cron in words, next run
/// (server local time zone), last run and its state, runs so far and paused;
/// `POST /api/schedules/{name}/run` enqueues the schedule's task now on the queue `default`
/// (202 with the job; not a cron slot, so it is not recorded as a scheduled run);
/// `/pause` and `/resume` answer 200 with the schedule. 404 for an unknown schedule.
enum ScheduleRoutes {
    /// The queue a run-now goes to.
    static let runNowQueue = "default"

    static func register(in router: inout Router, services: WebServices) {
        let store = ScheduleStore(registry: services.registry)
        let queue = services.queue
        router.add("GET", "/api/schedules") { request, _, context in
            _ = try Authentication.requireToken(request, context, tokens: services.tokens)
            let query = QueryParameters(request)
            let limit = try ListPaging.limit(query)
            let after = try query.optional("after")
            if let after, after.unicodeScalars.count > 200 {
                throw APIError.badRequest(field: "after", "must be the next_after of the previous page (a schedule name, at most 200 characters)")
            }
            let now = Date()
            var schedules = try store.page(after: after, limit: limit + 1, on: context.database())
            let more = schedules.count > limit
            if more { schedules.removeLast(schedules.count - limit) }
            return .json([
                "items": .array(schedules.map { $0.json(now: now, timeZone: .current) }),
                "next_after": more ? .string(schedules[limit - 1].name) : .null,
            ])
        }
        router.add("POST", "/api/schedules/{name}/run") { request, parameters, context in
            _ = try Authentication.requireToken(request, context, tokens: services.tokens)
            let database = try context.database()
            let schedule = try ScheduleRoutes.schedule(parameters, store: store, on: database)
            let enqueueRequest = EnqueueRequest(task: schedule.definition.task, args: schedule.definition.args, queue: runNowQueue)
            let enqueued: JobQueue.Enqueued
            do {
                enqueued = try queue.enqueue(enqueueRequest, on: database)
            } catch let error as EnqueueError {
                throw APIError.scheduleTaskRefused(schedule.name, error)
            }
            guard let job = try queue.job(enqueued.id, on: database) else {
                throw PostgresError(kind: .usage, message: "job \(enqueued.id) vanished right after it was enqueued")
            }
            return .json(job.json, status: 202)
        }
        for (action, paused) in [("pause", true), ("resume", false)] {
            router.add("POST", "/api/schedules/{name}/\(action)") { request, parameters, context in
                _ = try Authentication.requireToken(request, context, tokens: services.tokens)
                let database = try context.database()
                let name = try ScheduleRoutes.schedule(parameters, store: store, on: database).name
                do {
                    try store.setPaused(name, paused, on: database)
                } catch let error as ScheduleError {
                    throw APIError.unknownSchedule(error)
                }
                let schedule = try ScheduleRoutes.schedule(parameters, store: store, on: database)
                return .json(schedule.json(now: Date(), timeZone: .current))
            }
        }
    }

    /// The schedule the path names, or a 404.
    static func schedule(_ parameters: RouteParameters, store: ScheduleStore, on database: PostgresConnection) throws -> Schedule {
        let name = parameters["name"] ?? ""
        do {
            return try store.schedule(name, on: database)
        } catch let error as ScheduleError {
            throw APIError.unknownSchedule(error)
        }
    }
}

extension APIError {
    /// 404 for a schedule name that is not in the schedules table (the message lists the known ones).
    static func unknownSchedule(_ error: ScheduleError) -> APIError {
        APIError(status: 404, code: "not_found", message: error.description)
    }

    /// A schedule whose task the queue refuses (a build without that task): 422.
    static func scheduleTaskRefused(_ schedule: String, _ error: EnqueueError) -> APIError {
        APIError(status: 422, code: "unknown_task", message: "schedule \(schedule): \(error)")
    }
}
