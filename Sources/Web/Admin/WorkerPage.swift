import AppSupport
import FoundationEssentials
import Jobs

/// `GET /admin/workers`: the daemons seen in the last hour (host, pid, queues, concurrency,
/// started, last heartbeat, live or not) and what each runs now, from `Inspection` (what
/// `TaskRunner inspect workers|active` shows). admin.js reloads it every 15 seconds.
enum WorkerPage {
    /// A worker silent for longer is shown as not live (the rescue interval's default).
    static let liveSeconds = 30.0

    static func register(in router: inout Router, services: WebServices) {
        router.add("GET", "/admin/workers") { request, _, context in
            let session = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            let inspection = try Inspection(connection: context.database())
            let workers = try inspection.workers().json
            let active = try inspection.active().json
            let now = Date()
            var running: [String: [[String: Any]]] = [:]
            var unassigned: [[String: Any]] = []
            for case .object(let job) in active.adminItems {
                guard case .int(let id)? = job["id"] else { continue }
                let row: [String: Any] = [
                    "id": id, "href": "/admin/tasks/\(id)", "task": job["task"]?.adminText ?? "", "queue": job["queue"]?.adminText ?? "",
                    "attempt": job["attempt"]?.adminText ?? "", "started": time(job["started_at"]) ?? "", "progress": job["progress"]?.adminText ?? "",
                    "has_progress": job["progress"]?.adminText != nil,
                ]
                if let worker = job["worker"]?.adminText { running[worker, default: []].append(row) } else { unassigned.append(row) }
            }
            let rows = workers.adminItems.compactMap { item -> [String: Any]? in
                guard case .object(let worker) = item, let id = worker["id"]?.adminText else { return nil }
                let heartbeat = worker["last_heartbeat_at"]?.adminText.flatMap(Timestamps.parseISO8601)
                let stopped = worker["status"]?.adminText == "stopped"
                let live = !stopped && heartbeat.map { now.timeIntervalSince($0) <= liveSeconds } == true
                return [
                    "id": id, "host": worker["host"]?.adminText ?? "", "pid": worker["pid"]?.adminText ?? "", "queues": worker["queues"]?.adminText ?? "",
                    "concurrency": worker["concurrency"]?.adminText ?? "", "started": time(worker["started_at"]) ?? "",
                    "heartbeat": AdminFormat.time(heartbeat) ?? "", "heartbeat_ago": heartbeat.map { AdminFormat.ago($0, now: now) } ?? "",
                    "status": stopped ? "stopped" : (live ? "live" : "silent"), "live": live,
                    "jobs": running[id] ?? [], "idle": (running[id] ?? []).isEmpty,
                ]
            }
            // Jobs whose worker row is gone (purged, or a `TaskRunner run` in another process).
            let known = Set(rows.compactMap { $0["id"] as? String })
            for (worker, jobs) in running where !known.contains(worker) {
                unassigned += jobs.map { $0.merging(["worker": worker]) { mine, _ in mine } }
            }
            return session.page(
                "workers", title: "Workers", section: "workers",
                [
                    "workers": rows, "empty": rows.isEmpty, "live_count": rows.filter { $0["live"] as? Bool == true }.count,
                    "orphans": unassigned, "has_orphans": !unassigned.isEmpty,
                ])
        }
    }

    private static func time(_ value: JSONValue?) -> String? {
        AdminFormat.time(value?.adminText.flatMap(Timestamps.parseISO8601))
    }
}

extension JSONValue {
    /// The items of an array (empty for anything else).
    var adminItems: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    /// A scalar as text (strings as they are, numbers written out); nil for null, arrays, objects.
    var adminText: String? {
        switch self {
        case .string(let text): return text
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        default: return nil
        }
    }
}
