import AppSupport
import FoundationEssentials
import Jobs
import WeatherData

/// `GET /admin/exports` (the records, newest first, by cursor; reloaded every 10 seconds while an
/// export runs), `POST /admin/exports` (enqueues `export_weather_data` with a format and optional
/// city and period, 303 back to the list, which links to the new job), and
/// `GET /admin/exports/{id}/download`: an empty answer whose `X-Accel-Redirect` names
/// `/protected-exports/<the file name stored in the export's row>`, which nginx serves from
/// `EXPORT_DIR` (an internal location). The file name never comes from the request; a stored
/// name that is not a bare name is refused.
enum ExportPages {
    /// The task that writes exports.
    static let task = "export_weather_data"
    /// nginx's internal location for `EXPORT_DIR` (nginx/weather-service.conf).
    static let internalLocation = "/protected-exports/"

    static func register(in router: inout Router, services: WebServices) {
        let queue = services.queue
        router.add("GET", "/admin/exports") { request, _, context in
            let session = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            let query = AdminQuery(request)
            let before = try query.positive("before")
            let database = try context.database()
            var exports = try ExportStore.page(before: before, limit: AdminPager.pageSize + 1, on: database)
            let more = exports.count > AdminPager.pageSize
            if more { exports.removeLast(exports.count - AdminPager.pageSize) }
            // The job of an export just started (after the form): followed until it finishes.
            var started: Job?
            if let id = try? query.positive("job"), let job = try queue.job(id, on: database), job.task == task { started = job }
            return session.page(
                "exports", title: "Exports", section: "exports",
                [
                    "exports": exports.map(row), "empty": exports.isEmpty, "notice": AdminNotice.text(request),
                    "started_job": started.map { ["href": "/admin/tasks/\($0.id)", "id": $0.id, "state": $0.state.rawValue] as [String: Any] },
                    "refresh": exports.contains { $0.state == .running } || started.map { !$0.state.isFinished } == true, "can_start": queue.registry[task] != nil,
                    "pager": AdminPager.context(path: "/admin/exports", filters: [], before: before, nextBefore: more ? exports.last?.id : nil),
                ])
        }
        router.add("POST", "/admin/exports") { request, _, context in
            let (_, form) = try AdminAuth.requireForm(request, context, policy: services.adminPolicy)
            var args: [String: JSONValue] = [:]
            let format = (form["format"] ?? "").trimmingCharacters()
            guard let chosen = ExportFormat(rawValue: format) else { throw AdminError.badRequest(field: "format", "must be csv or json") }
            args["format"] = .string(chosen.rawValue)
            if let city = form["city"]?.trimmingCharacters(), !city.isEmpty {
                guard city.utf8.count <= 200 else { throw AdminError.badRequest(field: "city", "must be at most 200 bytes") }
                args["city"] = .string(city)
            }
            for field in ["from", "to"] {
                guard let text = form[field]?.trimmingCharacters(), !text.isEmpty else { continue }
                guard let date = AdminTime.parse(text) else {
                    throw AdminError.badRequest(field: field, "must be a time such as 2026-11-25T08:00 (UTC) or a date 2026-11-25")
                }
                // A plain date keeps its meaning for the task (as `to`, the whole day is included).
                args[field] = .string(text.utf8.count == 10 ? text : Timestamps.iso8601(date))
            }
            do {
                let enqueued = try queue.enqueue(EnqueueRequest(task: task, args: .object(args)), on: context.database())
                return .redirect(to: "/admin/exports?notice=export_started&job=\(enqueued.id)")
            } catch let error as EnqueueError {
                throw AdminError(status: 409, code: "unknown_task", message: "Exports cannot be started here: \(error)")
            }
        }
        router.add("GET", "/admin/exports/{id}/download") { request, parameters, context in
            _ = try AdminAuth.requireSession(request, context, policy: services.adminPolicy)
            guard let text = parameters["id"], let id = TaskRoutes.positiveInteger(text),
                let record = try ExportStore.record(id, on: context.database())
            else { throw AdminError.notFound("There is no such export.") }
            guard record.state == .succeeded, let name = record.fileName else {
                throw AdminError.notFound("Export \(id) has no file (it is \(record.state.rawValue)).")
            }
            guard isBareName(name) else { throw AdminError.notFound("Export \(id)'s file cannot be served.") }
            return WebResponse(
                status: 200,
                headers: [
                    ("Content-Type", record.format == .csv ? "text/csv; charset=utf-8" : "application/json"),
                    ("X-Accel-Redirect", internalLocation + name), ("Cache-Control", "no-store"),
                ])
        }
    }

    /// A file name nginx may serve from `EXPORT_DIR`: letters, digits, `.`, `_` and `-` (what the
    /// table allows), no `/`, no `..`, not hidden.
    static func isBareName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255 && !name.contains("/") && !name.contains("..") && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
    }

    static func row(_ export: ExportRecord) -> [String: Any] {
        var row: [String: Any] = [
            "id": export.id, "format": export.format.rawValue, "state": export.state.rawValue, "filter": filterText(export.filter),
            "has_error": export.error.map { !$0.isEmpty } ?? false,
            "file": export.fileName ?? "", "rows": export.rowCount.map(String.init) ?? "", "bytes": export.byteCount.map(byteText) ?? "",
            "sha256": export.sha256 ?? "", "error": export.error ?? "", "created": AdminFormat.time(export.createdAt) ?? "",
            "finished": AdminFormat.time(export.finishedAt) ?? "",
        ]
        if export.state == .succeeded, export.fileName != nil { row["download"] = "/admin/exports/\(export.id)/download" }
        if let job = export.jobID { row["job_href"] = "/admin/tasks/\(job)" }
        return row
    }

    /// `Oslo, from 2026-01-01 00:00:00 to ...`, or `all searches`.
    static func filterText(_ filter: ExportFilter) -> String {
        var parts: [String] = []
        if let city = filter.city { parts.append(city) }
        if let from = AdminFormat.time(filter.from) { parts.append("from " + from) }
        if let to = AdminFormat.time(filter.to) { parts.append("to " + to) }
        return parts.isEmpty ? "all searches" : parts.joined(separator: ", ")
    }

    static func byteText(_ bytes: Int) -> String {
        switch bytes {
        case ..<1024: return "\(bytes) B"
        case ..<(1024 * 1024): return AdminFormat.number(Double(bytes) / 1024) + " KiB"
        default: return AdminFormat.number(Double(bytes) / 1_048_576) + " MiB"
        }
    }
}
