import FoundationEssentials
import Jobs
import Scheduling

/// `GET /admin/`: jobs by queue and state, the last hour's throughput as a chart, live workers,
/// failing schedules (their last run failed) and the latest failed jobs. admin.js reloads it
/// every 15 seconds.
enum DashboardPage {
    /// Failed jobs listed.
    static let latestFailures = 10

    static func register(in router: inout Router, services: WebServices) {
        let queue = services.queue
        let schedules = ScheduleStore(registry: services.registry)
        router.add("GET", "/admin/") { request, _, context in
            let session = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            let database = try context.database()
            let figures = try queue.figures(on: database)
            let failing = try schedules.list(on: database).filter { $0.lastRun?.state == "failed" }
            let failures = try queue.list(state: .failed, limit: latestFailures, on: database)
            return session.page(
                "dashboard", title: "Dashboard", section: "dashboard",
                [
                    "queues": table(figures), "no_jobs": figures.counts.isEmpty, "capped": figures.capped,
                    "states": JobState.allCases.map { ["name": $0.rawValue, "finished": $0.isFinished] },
                    "chart": AdminCharts.throughput(succeeded: figures.succeededPerMinute, failed: figures.failedPerMinute),
                    "succeeded_hour": figures.succeededPerMinute.reduce(0, +), "failed_hour": figures.failedPerMinute.reduce(0, +),
                    "live_workers": figures.liveWorkers, "live_workers_label": figures.liveWorkers == 1 ? "live worker" : "live workers",
                    "has_failing": !failing.isEmpty, "has_failures": !failures.isEmpty, "no_workers": figures.liveWorkers == 0,
                    "failing": failing.map { schedule -> [String: Any] in
                        var row: [String: Any] = ["name": schedule.name, "task": schedule.definition.task]
                        if let run = schedule.lastRun {
                            row["slot"] = run.slot.description
                            row["reason"] = run.reason ?? ""
                            row["has_reason"] = !(run.reason ?? "").isEmpty
                            if let job = run.jobID { row["job"] = "/admin/tasks/\(job)" }
                        }
                        return row
                    },
                    "failures": failures.map { job -> [String: Any] in
                        var row = TaskPages.row(job)
                        row["error"] = String((job.error ?? "").prefix(200))
                        return row
                    },
                ])
        }
    }

    /// One row per queue, one cell per state (a link to the jobs in that state).
    static func table(_ figures: JobQueue.Figures) -> [[String: Any]] {
        var byQueue: [String: [JobState: Int]] = [:]
        for count in figures.counts { byQueue[count.queue, default: [:]][count.state, default: 0] += count.jobs }
        return byQueue.keys.sorted().map { queue in
            [
                "queue": queue,
                "cells": JobState.allCases.map { state -> [String: Any] in
                    let jobs = byQueue[queue]?[state] ?? 0
                    return ["state": state.rawValue, "jobs": jobs, "href": "/admin/tasks?state=\(state.rawValue)", "zero": jobs == 0]
                },
            ]
        }
    }
}
